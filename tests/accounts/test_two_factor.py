"""Two-factor authentication: plan managers and administrators enrol an authenticator app and use it each time."""

from __future__ import annotations

import re

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import PASSWORD
from tests.two_factor import current_code, enrolled_device

LOGIN = "/accounts/login/"
SETUP = "/accounts/two-factor/set-up/"
VERIFY = "/accounts/two-factor/verify/"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def password_sign_in(client, username: str, next_url: str = ""):
    data = {"username": username, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    response = client.post(LOGIN, data)
    assert response.status_code == 302, response.content.decode()[:500]
    return response


def code_for(device: TOTPDevice) -> str:
    return str(totp(device.bin_key, device.step, device.t0, device.digits, device.drift)).zfill(device.digits)


def enrol(client, user) -> list[str]:
    """Go through enrolment as the person would; return the backup codes shown."""
    page = client.get(SETUP)
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(SETUP, {"code": code_for(device), "next": "/"}, follow=True)
    return re.findall(r"<li>([a-z0-9]{10})</li>", response.content.decode())


@pytest.mark.parametrize("persona", ["manager", "admin"])
def test_managers_and_administrators_are_sent_to_enrol_after_their_password(client, world, persona):
    password_sign_in(client, getattr(world, persona).username)
    response = client.get("/areas/northshire/")
    assert response.status_code == 302
    assert response["Location"] == f"{SETUP}?next=%2Fareas%2Fnorthshire%2F"


@pytest.mark.parametrize("persona", ["officer", "chair", "adviser"])
def test_other_roles_sign_in_with_a_password_alone(client, world, persona):
    password_sign_in(client, getattr(world, persona).username)
    assert client.get("/").status_code == 200


def test_enrolment_page_shows_a_server_drawn_qr_code_and_the_key_without_scripts(client, world):
    password_sign_in(client, "manager")
    response = client.get(SETUP)
    html = response.content.decode()
    assert '<svg class="app-qr-code" role="img" aria-label="QR code' in html
    assert "<path d=" in html
    device = TOTPDevice.objects.get(user=world.manager, confirmed=False)
    secret_words = re.search(r'id="secret-key">([A-Z2-7 ]+)<', html).group(1).split()
    assert all(len(word) <= 4 for word in secret_words)
    assert "".join(secret_words) in device.config_url
    # Nothing inline for the Content Security Policy to refuse, and nothing fetched from elsewhere.
    assert "<script>" not in html and " style=" not in html
    assert "http" not in html.split("<svg", 1)[1].split("</svg>", 1)[0].replace("http://www.w3.org/2000/svg", "")
    # Reloading keeps the same key, so a code from the app already scanned still works.
    client.get(SETUP)
    assert TOTPDevice.objects.filter(user=world.manager).count() == 1


def test_a_wrong_enrolment_code_is_refused_and_enrols_nothing(client, world):
    password_sign_in(client, "manager")
    client.get(SETUP)
    response = client.post(SETUP, {"code": "000000"})
    assert response.status_code == 200
    assert "That code is not right" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=world.manager, confirmed=True).exists()
    assert client.get("/").status_code == 302


def test_enrolment_with_the_right_code_shows_ten_backup_codes_once_and_lets_the_manager_in(client, world):
    password_sign_in(client, "manager", next_url="/areas/northshire/")
    codes = enrol(client, world.manager)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert StaticToken.objects.filter(device__user=world.manager).count() == 10
    assert client.get("/areas/northshire/").status_code == 200
    # Shown once: a second look offers a new set instead.
    again = client.get("/accounts/two-factor/backup-codes/").content.decode()
    assert not any(code in again for code in codes)
    assert "Get new backup codes" in again


def test_an_enrolled_manager_enters_a_code_at_every_sign_in(client, world):
    device = enrolled_device(world.manager)
    password_sign_in(client, "manager", next_url="/areas/northshire/")
    response = client.get("/areas/northshire/")
    assert response["Location"] == f"{VERIFY}?next=%2Fareas%2Fnorthshire%2F"
    wrong = client.post(VERIFY, {"code": "123456", "next": "/areas/northshire/"})
    assert "That code is not right" in wrong.content.decode()
    right = client.post(VERIFY, {"code": current_code(device), "next": "/areas/northshire/"})
    assert right["Location"] == "/areas/northshire/"
    assert client.get("/areas/northshire/").status_code == 200


def test_an_enrolled_manager_cannot_enrol_another_app_without_their_code(client, world):
    enrolled_device(world.manager)
    password_sign_in(client, "manager")
    response = client.get(SETUP)
    assert response["Location"] == VERIFY
    assert TOTPDevice.objects.filter(user=world.manager).count() == 1


def test_a_backup_code_works_once(client, world):
    password_sign_in(client, "manager")
    codes = enrol(client, world.manager)
    client.post("/accounts/logout/")

    password_sign_in(client, "manager")
    used = client.post(VERIFY, {"code": codes[0].upper()[:5] + "-" + codes[0][5:], "next": "/"}, follow=True)
    assert used.redirect_chain[-1][0] == "/"
    assert "You used a backup code. You have 9 left." in used.content.decode()
    client.post("/accounts/logout/")

    password_sign_in(client, "manager")
    again = client.post(VERIFY, {"code": codes[0], "next": "/"})
    assert "That code is not right" in again.content.decode()


def test_new_backup_codes_replace_the_old_ones(client, world):
    password_sign_in(client, "manager")
    old = enrol(client, world.manager)
    response = client.post("/accounts/two-factor/backup-codes/", {"next": "/"}, follow=True)
    new = re.findall(r"<li>([a-z0-9]{10})</li>", response.content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    stored = set(StaticToken.objects.filter(device__user=world.manager).values_list("token", flat=True))
    assert stored == set(new)


def test_the_code_step_never_redirects_off_the_site(client, world):
    device = enrolled_device(world.manager)
    password_sign_in(client, "manager")
    response = client.post(VERIFY, {"code": current_code(device), "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_an_unverified_manager_gets_nothing_but_the_steps_to_verify(client, world):
    password_sign_in(client, "manager")
    for url in ("/", "/areas/northshire/", "/admin/"):
        assert client.get(url).status_code == 302
    assert client.post("/areas/northshire/", {}).status_code == 302
    for url in (SETUP, "/accessibility/", "/healthz"):
        assert client.get(url).status_code == 200
    assert client.post("/accounts/logout/").status_code == 302


def test_the_admin_site_needs_the_second_factor_too(client, world):
    world.admin.is_staff = True
    world.admin.save()
    device = enrolled_device(world.admin)
    password_sign_in(client, "admin")
    assert client.get("/admin/")["Location"].startswith(VERIFY)
    client.post(VERIFY, {"code": current_code(device), "next": "/admin/"})
    assert client.get("/admin/").status_code == 200

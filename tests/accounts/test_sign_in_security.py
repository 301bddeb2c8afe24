"""Sign-in protection: lockout on username and address together, password reset by email, idle sessions."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.conf import settings
from django.core import mail

from tests.factories import PASSWORD

LOGIN = "/accounts/login/"
COUNCIL_ADDRESS = "10.1.1.1"
HOME_ADDRESS = "10.2.2.2"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # These tests check many passwords; the production hasher is deliberately slow.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def attempt(client, username: str, password: str, address: str = COUNCIL_ADDRESS):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def fail_five_times(client, username: str, address: str = COUNCIL_ADDRESS) -> None:
    for _ in range(4):
        response = attempt(client, username, "wrong-password", address)
        assert response.status_code == 200
        assert "Enter a correct username and password" in response.content.decode()
    # The fifth wrong password locks the username from this address and says so straight away.
    assert attempt(client, username, "wrong-password", address).status_code == 429


def test_five_wrong_passwords_lock_that_username_from_that_address_with_a_clear_page(client, world):
    fail_five_times(client, "officer")
    response = attempt(client, "officer", PASSWORD)
    assert response.status_code == 429
    html = response.content.decode()
    assert "Sign-in locked for 15 minutes" in html
    assert "Other people at your organisation can still sign in." in html
    assert "_auth_user_id" not in client.session


def test_the_admin_sign_in_page_is_no_way_round_the_lockout_or_the_second_factor(client, world):
    world.admin.is_staff = True
    world.admin.save()
    for _ in range(5):
        client.post("/admin/login/", {"username": "admin", "password": "wrong-password"}, REMOTE_ADDR=COUNCIL_ADDRESS)
    assert attempt(client, "admin", PASSWORD).status_code == 429  # locked on our sign-in page too
    admin_page = client.post("/admin/login/", {"username": "admin", "password": PASSWORD}, REMOTE_ADDR=COUNCIL_ADDRESS)
    assert admin_page.status_code == 429
    assert "_auth_user_id" not in client.session
    # From another address the password works, but the admin still asks for the second factor first.
    client.post("/admin/login/", {"username": "admin", "password": PASSWORD}, REMOTE_ADDR=HOME_ADDRESS)
    assert client.session["_auth_user_id"] == str(world.admin.pk)
    assert "/accounts/two-factor/" in client.get("/admin/", REMOTE_ADDR=HOME_ADDRESS)["Location"]


def test_a_colleague_behind_the_same_address_is_not_locked_out(client, world):
    fail_five_times(client, "officer")
    response = attempt(client, "health", PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(world.health_officer.pk)


def test_the_same_username_from_another_address_is_not_locked_out(client, world):
    fail_five_times(client, "officer")
    response = attempt(client, "officer", PASSWORD, address=HOME_ADDRESS)
    assert response.status_code == 302


def test_the_lockout_lifts_after_fifteen_minutes(client, world):
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False) as traveller:
        fail_five_times(client, "officer")
        traveller.shift(dt.timedelta(minutes=14))
        assert attempt(client, "officer", PASSWORD).status_code == 429
        traveller.shift(dt.timedelta(minutes=2))
        assert attempt(client, "officer", PASSWORD).status_code == 302


def test_an_unknown_username_is_refused_like_a_wrong_password(client, world):
    response = attempt(client, "nobody", PASSWORD)
    assert response.status_code == 200
    assert "Enter a correct username and password" in response.content.decode()


def test_a_forwarded_for_header_sent_by_the_client_does_not_dodge_the_lockout(client, world):
    for n in range(5):
        client.post(
            LOGIN,
            {"username": "officer", "password": "wrong"},
            REMOTE_ADDR=COUNCIL_ADDRESS,
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}",
        )
    response = client.post(
        LOGIN,
        {"username": "officer", "password": PASSWORD},
        REMOTE_ADDR=COUNCIL_ADDRESS,
        HTTP_X_FORWARDED_FOR="192.0.2.99",
    )
    assert response.status_code == 429


def test_behind_a_trusted_proxy_the_lock_is_on_the_address_the_proxy_saw(client, world, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "172.16.0.1"
    for _ in range(5):
        client.post(
            LOGIN, {"username": "officer", "password": "wrong"}, REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="10.1.1.1"
        )
    locked = client.post(
        LOGIN, {"username": "officer", "password": PASSWORD}, REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="10.1.1.1"
    )
    assert locked.status_code == 429
    elsewhere = client.post(
        LOGIN, {"username": "officer", "password": PASSWORD}, REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="10.9.9.9"
    )
    assert elsewhere.status_code == 302


# Password reset by email


def reset_link(message) -> str:
    match = re.search(re.escape(settings.SITE_URL) + r"(/accounts/password-reset/[^/\s]+/[^/\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_password_reset_emails_a_link_built_from_the_site_url(client, world):
    world.officer.email = "officer@northshire.example"
    world.officer.save()
    response = client.post(
        "/accounts/password-reset/", {"email": "officer@northshire.example"}, HTTP_HOST="evil.example"
    )
    # The Host header is refused by ALLOWED_HOSTS before anything is sent.
    assert response.status_code == 400
    assert mail.outbox == []
    response = client.post("/accounts/password-reset/", {"email": "officer@northshire.example"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password-reset/sent/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["officer@northshire.example"]
    assert message.subject == "Reset your SEND Tracker password"
    assert "officer" in message.body

    form_page = client.get(reset_link(message), follow=True)
    assert "Choose a new password" in form_page.content.decode()
    set_url = form_page.redirect_chain[-1][0]
    weak = client.post(set_url, {"new_password1": "password", "new_password2": "password"})
    assert weak.status_code == 200
    assert "This password is too common." in weak.content.decode()
    done = client.post(set_url, {"new_password1": "Quiet-lantern-47", "new_password2": "Quiet-lantern-47"})
    assert done["Location"] == "/accounts/password-reset/done/"
    assert attempt(client, "officer", "Quiet-lantern-47").status_code == 302

    # The link works once.
    client.logout()
    again = client.get(reset_link(message), follow=True)
    assert "This link does not work" in again.content.decode()


def test_password_reset_does_not_say_whether_an_address_has_an_account(client, world):
    response = client.post("/accounts/password-reset/", {"email": "stranger@example.org"}, follow=True)
    assert "If that address belongs to a SEND Tracker account" in response.content.decode()
    assert mail.outbox == []


def test_password_reset_with_a_malformed_address_says_so(client, world):
    response = client.post("/accounts/password-reset/", {"email": "not an address"})
    assert response.status_code == 200
    assert "Enter an email address in the correct format" in response.content.decode()


def test_password_reset_pages_render(client, db):
    for url in ("/accounts/password-reset/", "/accounts/password-reset/sent/", "/accounts/password-reset/done/"):
        assert client.get(url).status_code == 200
    bad = client.get("/accounts/password-reset/MQ/set-password/", follow=True)
    assert "This link does not work" in bad.content.decode()


# Idle sessions


@pytest.mark.parametrize(("idle_minutes", "signed_in"), [(29, True), (31, False)])
def test_a_session_ends_after_thirty_minutes_without_a_request(client, world, idle_minutes, signed_in):
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False) as traveller:
        assert attempt(client, "officer", PASSWORD).status_code == 302
        assert client.get("/").status_code == 200
        traveller.shift(dt.timedelta(minutes=idle_minutes))
        response = client.get("/")
    assert (response.status_code == 200) is signed_in
    if not signed_in:
        assert response["Location"].startswith("/accounts/login/")


def test_each_request_pushes_the_idle_limit_on(client, world):
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False) as traveller:
        attempt(client, "officer", PASSWORD)
        for _ in range(4):
            traveller.shift(dt.timedelta(minutes=20))
            assert client.get("/").status_code == 200


def test_the_session_expiry_is_written_at_most_once_a_minute(client, world):
    from django.contrib.sessions.models import Session

    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False) as traveller:
        attempt(client, "officer", PASSWORD)
        key = client.session.session_key
        first = Session.objects.get(pk=key).expire_date
        traveller.shift(dt.timedelta(seconds=30))
        client.get("/")
        assert Session.objects.get(pk=key).expire_date == first
        traveller.shift(dt.timedelta(seconds=40))
        client.get("/")
        assert Session.objects.get(pk=key).expire_date == first + dt.timedelta(seconds=70)


def test_an_anonymous_visit_creates_no_session(client, db):
    from django.contrib.sessions.models import Session

    client.get("/accessibility/")
    assert Session.objects.count() == 0

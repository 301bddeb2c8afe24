from __future__ import annotations


def test_account_page_lists_roles_areas_and_settings_links(client, world):
    client.force_login(world.chair)
    response = client.get("/account/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Board member, Independent chairs (independent chair)" in body
    assert "Northshire" in body and "Southshire" not in body
    for url in ("/account/reminders/", "/account/calendar/", "/account/api-tokens/"):
        assert f'href="{url}"' in body


def test_navigation_offers_each_persona_only_what_they_may_open(client, world):
    expectations = {
        world.officer: ({"My actions", "Actions", "Your account"}, {"National overview", "Delivery log"}),
        world.manager: ({"Delivery log"}, {"National overview"}),
        world.adviser: ({"National overview"}, {"Delivery log"}),
    }
    for user, (present, absent) in expectations.items():
        client.force_login(user)
        body = client.get("/account/").content.decode()
        nav = body[body.index('id="navigation"') : body.index("</nav>")]
        assert all(label in nav for label in present), (user.username, present)
        assert not any(label in nav for label in absent), (user.username, absent)


def test_account_page_needs_sign_in(client, db):
    response = client.get("/account/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")

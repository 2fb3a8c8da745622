"""CSRF: with protection on (as in production), a form post without its token is refused."""

import pytest
from builders import PASSWORD, make_user


@pytest.fixture
def protected(make_app):
    """An app with CSRF protection switched on."""
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        make_user(email="ann@example.org")
    return app


@pytest.mark.parametrize("path", ["/login", "/logout", "/join", "/join/name", "/cases/new"])
def test_post_without_a_csrf_token_is_refused(protected, path):
    response = protected.test_client().post(
        path, data={"email": "ann@example.org", "password": PASSWORD}
    )
    assert response.status_code == 400


def test_post_with_the_pages_csrf_token_is_accepted(protected):
    client = protected.test_client()
    page = client.get("/login").data.decode()
    token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    response = client.post(
        "/login", data={"email": "ann@example.org", "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302


def test_csrf_token_of_another_session_is_refused(protected):
    page = protected.test_client().get("/login").data.decode()
    token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    response = protected.test_client().post(
        "/login", data={"email": "ann@example.org", "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 400


def test_every_get_route_answers_with_protection_on(protected):
    """CSRF protection looks every view up by name; a view without one (a functools.partial)
    broke every GET of it with a server error while the suite, CSRF off, stayed green."""
    client = protected.test_client()
    for rule in protected.url_map.iter_rules():
        if "GET" in rule.methods and rule.endpoint != "static":
            values = dict.fromkeys(rule.arguments, 1)
            path = rule.build(values)[1]
            assert client.get(path).status_code < 500, rule.endpoint

"""Security headers: a strict CSP, no framing, no referrer, nothing cached on pages."""

import pytest

from facilitator.web.headers import CSP

PAGES = ["/login", "/join", "/cases", "/does-not-exist"]


@pytest.mark.parametrize("path", PAGES)
def test_content_security_policy_forbids_inline_script_and_style(client, path):
    policy = client.get(path).headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in policy
    assert "'unsafe-eval'" not in policy
    assert "script-src 'self'" in policy
    assert "object-src 'none'" in policy
    assert "frame-ancestors 'none'" in policy


@pytest.mark.parametrize("path", PAGES)
def test_pages_may_not_be_framed(client, path):
    assert client.get(path).headers["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("path", PAGES)
def test_pages_send_no_referrer(client, path):
    assert client.get(path).headers["Referrer-Policy"] == "no-referrer"


@pytest.mark.parametrize("path", PAGES)
def test_content_types_are_not_sniffed(client, path):
    assert client.get(path).headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("path", PAGES)
def test_pages_are_never_cached(client, path):
    assert client.get(path).headers["Cache-Control"] == "no-store"


def test_case_and_board_pages_are_never_cached(scene, staff_client):
    worker = staff_client(scene.worker)
    for path in (f"/cases/{scene.case_id}", f"/meetings/{scene.meeting_id}"):
        assert worker.get(path).headers["Cache-Control"] == "no-store", path


def test_redirects_carry_the_headers_too(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Cache-Control"] == "no-store"
    assert "Content-Security-Policy" in response.headers


def test_static_files_may_be_cached_but_keep_the_other_headers(client):
    response = client.get("/static/favicon.svg")
    assert response.status_code == 200
    assert response.headers.get("Cache-Control") != "no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    response.close()


def test_pages_have_no_inline_scripts(scene, staff_client):
    page = staff_client(scene.worker).get(f"/meetings/{scene.meeting_id}").data.decode()
    for tag in page.split("<script")[1:]:
        opening = tag.split(">", 1)[0]
        assert " src=" in opening or 'type="application/json"' in opening, opening


# --- S12 on every registered GET route, for every kind of visitor ------------------------


def _csp_directives(policy: str) -> dict[str, list[str]]:
    directives = {}
    for part in policy.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


@pytest.mark.parametrize("visitor", ["anonymous", "guest", "member"])
def test_every_get_route_sends_the_security_headers(
    app, scene, visitor, guest_client, staff_client
):
    from test_access_matrix import registered_routes, url_of

    browser = {
        "anonymous": lambda: app.test_client(),
        "guest": lambda: guest_client(scene.code),
        "member": lambda: staff_client(scene.worker),
    }[visitor]()
    routes = sorted(endpoint for endpoint, method in registered_routes(app) if method == "GET")
    assert len(routes) > 10
    wrong = []
    for endpoint in routes:
        url = url_of(app, endpoint, scene)
        headers = browser.get(url).headers
        policy = _csp_directives(headers.get("Content-Security-Policy", ""))
        every = [value for values in policy.values() for value in values]
        checks = {
            "no unsafe-inline": "'unsafe-inline'" not in every,
            "no unsafe-eval": "'unsafe-eval'" not in every,
            "no wildcard source": not any(
                v == "*" or (v.endswith(":") and v != "data:") for v in every
            ),
            "script-src 'self'": policy.get("script-src") == ["'self'"],
            "frame-ancestors 'none'": policy.get("frame-ancestors") == ["'none'"],
            "Referrer-Policy no-referrer": headers.get("Referrer-Policy") == "no-referrer",
            "nosniff": headers.get("X-Content-Type-Options") == "nosniff",
            "no-store": headers.get("Cache-Control") == "no-store",
            "X-Frame-Options DENY": headers.get("X-Frame-Options") == "DENY",
        }
        wrong += [f"{visitor} GET {url}: {name}" for name, ok in checks.items() if not ok]
    assert not wrong, "\n".join(wrong)


def test_long_polling_answers_are_not_stored_sniffed_or_framed(client):
    answer = client.get("/socket.io/?EIO=4&transport=polling")
    assert answer.status_code == 200 and answer.get_data(as_text=True).startswith("0{")
    assert answer.headers["Cache-Control"] == "no-store"
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert answer.headers["Content-Security-Policy"] == CSP
    assert answer.headers["X-Frame-Options"] == "DENY"

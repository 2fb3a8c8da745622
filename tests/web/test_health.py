"""/healthz and /readyz: what a balancer or process manager asks, and nothing else."""

from __future__ import annotations

from facilitator.realtime import shutdown


def _probe_headers_ok(response) -> None:
    assert response.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response.headers
    assert response.mimetype == "application/json"


def test_healthz_answers_ok_without_a_cookie(client):
    response = client.get("/healthz")
    assert (response.status_code, response.get_json()) == (200, {"status": "ok"})
    _probe_headers_ok(response)


def test_readyz_answers_ready_when_the_database_answers(client):
    response = client.get("/readyz")
    assert (response.status_code, response.get_json()) == (200, {"status": "ready"})
    _probe_headers_ok(response)


def test_readyz_is_503_when_the_database_is_unreachable(make_app, tmp_path):
    missing = tmp_path / "no-such-folder" / "facilitator.sqlite3"
    app = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{missing}")
    client = app.test_client()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "not ready", "failing": ["database"]}
    _probe_headers_ok(response)
    assert client.get("/healthz").status_code == 200  # liveness needs no database


def test_readyz_is_503_when_the_message_queue_is_unreachable(app):
    # set after the app is built (Socket.IO would connect to it at start-up); a loopback
    # port nothing listens on refuses at once
    app.config["MESSAGE_QUEUE"] = "redis://127.0.0.1:1/0"
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "not ready", "failing": ["queue"]}


def test_readyz_is_503_while_draining_and_healthz_stays_200(app, client):
    shutdown.begin_draining(app)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "not ready", "failing": ["shutting_down"]}
    assert client.get("/healthz").status_code == 200


def test_probes_of_a_signed_in_browser_touch_no_session(app, scene, staff_client):
    browser = staff_client(scene.worker)
    for path in ("/healthz", "/readyz"):
        response = browser.get(path)
        assert response.status_code == 200, path
        assert "Set-Cookie" not in response.headers, path

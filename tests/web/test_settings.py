"""Settings: read from the environment once, with safe defaults that cannot be loosened."""

import pytest

from facilitator import config
from facilitator.settings_checks import socket_origins


def test_defaults_are_an_embedded_sqlite_database_in_the_instance_folder(tmp_path):
    settings = config.from_environment({"FACILITATOR_INSTANCE": str(tmp_path)})
    assert settings["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'facilitator.sqlite3'}"
    assert (settings["HOST"], settings["PORT"]) == ("127.0.0.1", 5000)
    assert settings["SESSION_COOKIE_HTTPONLY"] is True
    assert settings["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_secret_key_is_generated_once_and_kept_private(tmp_path):
    first = config.from_environment({"FACILITATOR_INSTANCE": str(tmp_path)})["SECRET_KEY"]
    again = config.from_environment({"FACILITATOR_INSTANCE": str(tmp_path)})["SECRET_KEY"]
    assert first == again
    assert len(first) >= 64
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


def test_secret_key_from_the_environment_wins(tmp_path):
    env = {"FACILITATOR_INSTANCE": str(tmp_path), "FACILITATOR_SECRET_KEY": "from-env"}
    assert config.from_environment(env)["SECRET_KEY"] == "from-env"
    assert not (tmp_path / "secret_key").exists()


def test_allowed_origins_are_a_comma_separated_list(tmp_path):
    env = {
        "FACILITATOR_INSTANCE": str(tmp_path),
        "FACILITATOR_ALLOWED_ORIGINS": " https://a.example , https://b.example,",
    }
    assert config.from_environment(env)["ALLOWED_ORIGINS"] == [
        "https://a.example",
        "https://b.example",
    ]


def test_secure_cookies_only_when_asked(tmp_path):
    env = {"FACILITATOR_INSTANCE": str(tmp_path), "FACILITATOR_SECURE_COOKIES": "1"}
    assert config.from_environment(env)["SESSION_COOKIE_SECURE"] is True


def test_socket_origins_default_to_the_servers_own_origin():
    assert socket_origins([]) is None


def test_socket_origins_refuse_a_wildcard():
    with pytest.raises(ValueError):
        socket_origins(["https://a.example", "*"])


def test_app_refuses_to_start_with_wildcard_socket_origins(make_app):
    with pytest.raises(ValueError):
        make_app(ALLOWED_ORIGINS=["*"])


def test_socket_handshake_from_a_foreign_origin_is_refused(client):
    response = client.get(
        "/socket.io/?EIO=4&transport=polling", headers={"Origin": "https://evil.example"}
    )
    assert response.status_code == 400
    assert b"Not an accepted origin" in response.data


def test_retention_defaults_to_three_years_and_can_be_set(tmp_path):
    env = {"FACILITATOR_INSTANCE": str(tmp_path)}
    assert config.from_environment(env)["RETENTION_YEARS"] == 3  # WIC 10851
    env["FACILITATOR_RETENTION_YEARS"] = "7"
    assert config.from_environment(env)["RETENTION_YEARS"] == 7


def test_each_deployment_has_its_own_queue_channel(tmp_path):
    env = {"FACILITATOR_INSTANCE": str(tmp_path)}
    assert config.from_environment(env)["QUEUE_CHANNEL"] == "facilitator"
    env["FACILITATOR_QUEUE_CHANNEL"] = "county-a.production"
    assert config.from_environment(env)["QUEUE_CHANNEL"] == "county-a.production"


@pytest.mark.parametrize("channel", ["two words", "x" * 101, "a*", "ch\nannel"])
def test_a_queue_channel_redis_could_read_as_a_pattern_is_refused(tmp_path, channel):
    env = {"FACILITATOR_INSTANCE": str(tmp_path), "FACILITATOR_QUEUE_CHANNEL": channel}
    with pytest.raises(ValueError, match="FACILITATOR_QUEUE_CHANNEL"):
        config.from_environment(env)


def test_workers_on_two_machines_with_the_same_port_get_different_server_ids(tmp_path, monkeypatch):
    env = {"FACILITATOR_INSTANCE": str(tmp_path), "FACILITATOR_PORT": "5000"}
    monkeypatch.setattr(config.socket, "gethostname", lambda: "worker-a")
    first = config.from_environment(env)["SERVER_ID"]
    monkeypatch.setattr(config.socket, "gethostname", lambda: "worker-b")
    assert first != config.from_environment(env)["SERVER_ID"]
    env["FACILITATOR_SERVER_ID"] = "county-a-1"
    assert config.from_environment(env)["SERVER_ID"] == "county-a-1"


def test_no_proxy_is_trusted_unless_configured(tmp_path):
    env = {"FACILITATOR_INSTANCE": str(tmp_path)}
    assert config.from_environment(env)["PROXY_HOPS"] == 0
    env["FACILITATOR_PROXY_HOPS"] = "1"
    assert config.from_environment(env)["PROXY_HOPS"] == 1
    env["FACILITATOR_PROXY_HOPS"] = "-1"
    with pytest.raises(ValueError, match="FACILITATOR_PROXY_HOPS"):
        config.from_environment(env)


def test_the_socket_servers_share_the_deployments_queue_channel(make_app):
    from facilitator.extensions import socketio

    app = make_app(MESSAGE_QUEUE="redis://127.0.0.1:6379/0", QUEUE_CHANNEL="county-a")
    with app.app_context():
        assert socketio.server.manager.channel == "county-a"


def test_the_render_pool_settings_have_defaults_and_refuse_nonsense(tmp_path):
    base = {"FACILITATOR_INSTANCE": str(tmp_path)}
    settings = config.from_environment(base)
    assert (
        settings["RENDER_WORKERS"], settings["RENDER_QUEUE"],
        settings["RENDER_TIMEOUT_SECONDS"], settings["RENDER_MEMORY_MB"],
    ) == (1, 4, 60, 1024)  # fmt: skip
    assert config.from_environment({**base, "FACILITATOR_RENDER_QUEUE": "0"})["RENDER_QUEUE"] == 0
    for name, value in (
        ("FACILITATOR_RENDER_WORKERS", "0"),
        ("FACILITATOR_RENDER_QUEUE", "-1"),
        ("FACILITATOR_RENDER_TIMEOUT_SECONDS", "0"),
        ("FACILITATOR_RENDER_MEMORY_MB", "-5"),
    ):
        with pytest.raises(ValueError, match=name):
            config.from_environment({**base, name: value})

"""Liveness and readiness for a balancer or process manager: no case data, no sign-in,
no session cookie, never cached, never audited."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text
from werkzeug.wrappers import Response

from facilitator.extensions import db
from facilitator.realtime.shutdown import is_draining
from facilitator.write_health import write_health

bp = Blueprint("health", __name__)

QUEUE_TIMEOUT_SECONDS = 1.0


def _answer(body: dict[str, Any], status: int) -> Response:
    response = jsonify(body)
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/healthz")
def healthz() -> Response:
    """The process answers (touches neither the database nor the queue)."""
    return _answer({"status": "ok"}, 200)


@bp.get("/readyz")
def readyz() -> Response:
    """Ready for new clients: not shutting down, the database answers, writes to it
    succeed (the last one did), and the message queue (when one is configured) answers a
    PING."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if is_draining(app):
        return _answer({"status": "not ready", "failing": ["shutting_down"]}, 503)
    checks = (("database", _database), ("writes", _writes), ("queue", _queue))
    failing = [name for name, check in checks if not check()]
    if failing:
        return _answer({"status": "not ready", "failing": failing}, 503)
    return _answer({"status": "ready"}, 200)


def _database() -> bool:
    try:
        db.session.execute(text("SELECT 1"))
        return True
    except Exception:
        return False
    finally:
        db.session.remove()


def _writes() -> bool:
    """The last write to the database succeeded (facilitator/write_health.py)."""
    return not write_health(current_app._get_current_object()).failing  # type: ignore[attr-defined]


def _queue() -> bool:
    url = current_app.config.get("MESSAGE_QUEUE")
    if not url:
        return True
    if not url.startswith(("redis://", "rediss://", "unix://")):
        return True  # only Redis is checked (the deployment docs name Redis)
    try:
        import redis

        client = redis.Redis.from_url(
            url,
            socket_connect_timeout=QUEUE_TIMEOUT_SECONDS,
            socket_timeout=QUEUE_TIMEOUT_SECONDS,
        )
        try:
            return bool(client.ping())
        finally:
            client.close()
    except Exception:
        return False

"""Settings: the only module that reads os.environ (FACILITATOR_*)."""

from __future__ import annotations

import os
import re
import secrets
import socket
from datetime import timedelta
from pathlib import Path
from typing import Any

from facilitator.domain.kept_plan import KEPT_DAYS_MAX

ROOT = Path(__file__).resolve().parent.parent
INSTANCE = ROOT / "instance"


def _secret_key(instance: Path) -> str:
    """Read the secret key from the instance folder, creating it once."""
    path = instance / "secret_key"
    if not path.exists():
        instance.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def _list(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split(",") if v.strip()]


def _positive(env: dict[str, str], name: str, default: int) -> int:
    value = int(env.get(name) or default)
    if value <= 0:
        raise ValueError(f"{name} must be a positive whole number")
    return value


def _at_least_zero(env: dict[str, str], name: str, default: int = 0) -> int:
    value = int(env.get(name) or default)
    if value < 0:
        raise ValueError(f"{name} must be 0 or more")
    return value


def _channel(value: str) -> str:
    if not re.fullmatch(r"[A-Za-z0-9._:-]{1,100}", value):
        raise ValueError("FACILITATOR_QUEUE_CHANNEL must be 1-100 letters, digits or . _ : -")
    return value


def from_environment(env: dict[str, str] | None = None) -> dict[str, Any]:
    """Build the Flask config from FACILITATOR_* variables, with embedded defaults."""
    env = dict(os.environ if env is None else env)
    instance = Path(env.get("FACILITATOR_INSTANCE", str(INSTANCE)))
    secure_cookies = env.get("FACILITATOR_SECURE_COOKIES", "0") == "1"
    database_url = env.get(
        "FACILITATOR_DATABASE_URL", f"sqlite:///{instance / 'facilitator.sqlite3'}"
    )
    port = int(env.get("FACILITATOR_PORT", "5000"))
    return {
        "SECRET_KEY": env.get("FACILITATOR_SECRET_KEY") or _secret_key(instance),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "ASYNC_MODE": env.get("FACILITATOR_ASYNC_MODE", "threading"),
        "ALLOWED_ORIGINS": _list(env.get("FACILITATOR_ALLOWED_ORIGINS")),
        "MESSAGE_QUEUE": env.get("FACILITATOR_MESSAGE_QUEUE") or None,
        # The Redis channel of this deployment: its workers share it, and two deployments
        # on one Redis (staging and production, two counties) never hear each other.
        "QUEUE_CHANNEL": _channel(env.get("FACILITATOR_QUEUE_CHANNEL") or "facilitator"),
        # Proxies in front (nginx: 1) whose X-Forwarded-For and -Proto are believed. 0, the
        # default, believes none: a client could name any address. Behind a proxy, 0 would
        # make every request come from the proxy: one address for sign-in throttling and the
        # audit trail, and /setup open to anyone as "this computer".
        "PROXY_HOPS": _at_least_zero(env, "FACILITATOR_PROXY_HOPS"),
        "HOST": env.get("FACILITATOR_HOST", "127.0.0.1"),
        "PORT": port,
        # Over HTTPS the cookie is Secure and named __Host- (so: Path=/, no Domain, and no
        # subdomain or plain-HTTP page can set or overwrite it). SameSite=Lax, not Strict: a
        # guest's join link and a colleague's link to a case come from mail or chat apps, and
        # Strict would drop the cookie on that first navigation and the redirect after it.
        # Lax still keeps it off cross-site POSTs, frames and scripts (and CSRF tokens stay).
        "SESSION_COOKIE_SECURE": secure_cookies,
        "SESSION_COOKIE_NAME": "__Host-facilitator" if secure_cookies else "session",
        "SESSION_COOKIE_PATH": "/",
        "SESSION_COOKIE_DOMAIN": None,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        # only a guest's session is permanent (web/join.name): its cookie outlives the phone's
        # browser session so the family keeps its plan after the meeting; the server decides
        # for how long (access._keeps_plan), so the cookie may outlast any agency's days
        "PERMANENT_SESSION_LIFETIME": timedelta(days=KEPT_DAYS_MAX + 1),
        "REMEMBER_COOKIE_SECURE": secure_cookies,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        # a signed-in session ends after this long without a request or socket event, and
        # this long after sign-in whatever happens (county-style defaults: 30 min, 12 h)
        "SESSION_IDLE_MINUTES": _positive(env, "FACILITATOR_SESSION_IDLE_MINUTES", 30),
        "SESSION_MAX_HOURS": _positive(env, "FACILITATOR_SESSION_MAX_HOURS", 12),
        "WTF_CSRF_TIME_LIMIT": None,
        # per socket connection: events per second, and the burst a connection may spend at once
        "SOCKET_RATE": float(env.get("FACILITATOR_SOCKET_RATE", "20")),
        "SOCKET_BURST": int(env.get("FACILITATOR_SOCKET_BURST", "50")),
        # per person (a guest, or a staff user over all their tabs) and per client address:
        # open sockets, and events per second from one address (docs/security.md, S10)
        "SOCKETS_PER_PERSON": _positive(env, "FACILITATOR_SOCKETS_PER_PERSON", 30),
        "SOCKETS_PER_ADDRESS": _positive(env, "FACILITATOR_SOCKETS_PER_ADDRESS", 250),
        "ADDRESS_RATE": _positive(env, "FACILITATOR_ADDRESS_RATE", 250),
        # wrong join codes: from one address within JOIN_WINDOW_MINUTES, and from everyone
        "JOIN_FAILURES_PER_ADDRESS": _positive(env, "FACILITATOR_JOIN_FAILURES_PER_ADDRESS", 30),
        "JOIN_FAILURES_OVERALL": _positive(env, "FACILITATOR_JOIN_FAILURES_OVERALL", 1000),
        # each worker renews its sign of life this often; the presence of a worker silent
        # for six of these (killed, its machine gone) is removed by the others
        "PRESENCE_BEAT_SECONDS": _positive(env, "FACILITATOR_PRESENCE_BEAT_SECONDS", 10),
        # after SIGTERM / SIGINT, wsgi.py drains and exits within this many seconds
        "SHUTDOWN_SECONDS": _positive(env, "FACILITATOR_SHUTDOWN_SECONDS", 10),
        # Board writers per process (realtime/writer.py), each with its own meetings. SQLite
        # has one writer at a time, so 1; on PostgreSQL a writer mostly waits for the
        # database's answers, so several keep one worker's throughput up.
        "WRITERS": _positive(
            env, "FACILITATOR_WRITERS", 1 if database_url.startswith("sqlite") else 4
        ),
        # Exports (PDF, DOCX) render in separate worker processes (facilitator/offload.py):
        # this many at once, this many more waiting (then "busy": 503), each killed after
        # this many seconds or when its address space passes this many MB
        "RENDER_WORKERS": _positive(env, "FACILITATOR_RENDER_WORKERS", 1),
        "RENDER_QUEUE": _at_least_zero(env, "FACILITATOR_RENDER_QUEUE", 4),
        "RENDER_TIMEOUT_SECONDS": _positive(env, "FACILITATOR_RENDER_TIMEOUT_SECONDS", 60),
        "RENDER_MEMORY_MB": _positive(env, "FACILITATOR_RENDER_MEMORY_MB", 1024),
        "MAX_CONTENT_LENGTH": 64 * 1024,  # forms are small; anything bigger is refused (413)
        "BABEL_DEFAULT_LOCALE": "en",
        "LOG_LEVEL": env.get("FACILITATOR_LOG_LEVEL", "INFO"),
        "INSTANCE_PATH": str(instance),
        # Argon2id's cost for passwords and recovery codes: RFC 9106's second recommended
        # option (argon2-cffi's default: 3 passes over 64 MiB in 4 lanes). Only the test
        # suite lowers it; a stored hash keeps its own cost and is redone at sign-in when
        # the setting changes.
        "ARGON2_TIME_COST": _positive(env, "FACILITATOR_ARGON2_TIME_COST", 3),
        "ARGON2_MEMORY_KIB": _positive(env, "FACILITATOR_ARGON2_MEMORY_KIB", 65536),
        "ARGON2_PARALLELISM": _positive(env, "FACILITATOR_ARGON2_PARALLELISM", 4),
        # Roles that must sign in with a TOTP code as well as their password
        "MFA_REQUIRED_ROLES": _list(env.get("FACILITATOR_MFA_REQUIRED_ROLES", "admin,supervisor")),
        # Exports ask for the password or a code again when the last was longer ago
        "STEP_UP_MINUTES": int(env.get("FACILITATOR_STEP_UP_MINUTES", "5")),
        # Failed sign-ins within 15 minutes before each further attempt waits (growing)
        "SIGN_IN_ACCOUNT_LIMIT": int(env.get("FACILITATOR_SIGN_IN_ACCOUNT_LIMIT", "5")),
        "SIGN_IN_ADDRESS_LIMIT": int(env.get("FACILITATOR_SIGN_IN_ADDRESS_LIMIT", "50")),
        # years a closed case is kept before it may be purged (WIC 10851: at least three)
        "RETENTION_YEARS": int(env.get("FACILITATOR_RETENTION_YEARS", "3")),
        # Unique per worker: presence rows carry it and a worker clears its own at start. The
        # machine's name keeps two machines that both listen on port 5000 apart.
        "SERVER_ID": env.get("FACILITATOR_SERVER_ID") or f"{socket.gethostname()}:{port}"[-64:],
    }

"""Settings: the only module that reads os.environ (FACILITATOR_*)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

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


def from_environment(env: dict[str, str] | None = None) -> dict[str, Any]:
    """Build the Flask config from FACILITATOR_* variables, with embedded defaults."""
    env = dict(os.environ if env is None else env)
    instance = Path(env.get("FACILITATOR_INSTANCE", str(INSTANCE)))
    database_url = env.get(
        "FACILITATOR_DATABASE_URL", f"sqlite:///{instance / 'facilitator.sqlite3'}"
    )
    return {
        "SECRET_KEY": env.get("FACILITATOR_SECRET_KEY") or _secret_key(instance),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "ASYNC_MODE": env.get("FACILITATOR_ASYNC_MODE", "threading"),
        "ALLOWED_ORIGINS": _list(env.get("FACILITATOR_ALLOWED_ORIGINS")),
        "MESSAGE_QUEUE": env.get("FACILITATOR_MESSAGE_QUEUE") or None,
        "HOST": env.get("FACILITATOR_HOST", "127.0.0.1"),
        "PORT": int(env.get("FACILITATOR_PORT", "5000")),
        "SESSION_COOKIE_SECURE": env.get("FACILITATOR_SECURE_COOKIES", "0") == "1",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "WTF_CSRF_TIME_LIMIT": None,
        "MAX_CONTENT_LENGTH": 64 * 1024,  # forms are small; anything bigger is refused (413)
        "BABEL_DEFAULT_LOCALE": "en",
        "LOG_LEVEL": env.get("FACILITATOR_LOG_LEVEL", "INFO"),
        "INSTANCE_PATH": str(instance),
        # years a closed case is kept before it may be purged (WIC 10851: at least three)
        "RETENTION_YEARS": int(env.get("FACILITATOR_RETENTION_YEARS", "3")),
        **({"SERVER_ID": env["FACILITATOR_SERVER_ID"]} if env.get("FACILITATOR_SERVER_ID") else {}),
    }

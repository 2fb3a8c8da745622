"""Signing in: throttling of failed attempts, TOTP multi-factor and recovery codes.

Failures are rows in sign_in_failures, so every process sees them. They are counted per
account (a keyed hash of the typed email: unknown addresses are throttled exactly like
known ones, and no typed address is stored) and per client address. Each success and
failure goes into the audit trail; never a password, nor the email of an unknown account.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from datetime import timedelta
from typing import Any

import pyotp
from flask import current_app
from sqlalchemy import delete, func, select

from facilitator import sealed
from facilitator.domain.actor import ANONYMOUS, Actor, staff_actor
from facilitator.extensions import db
from facilitator.models import RecoveryCode, SignInFailure, User
from facilitator.models.types import utcnow
from facilitator.services import audit
from facilitator.services.accounts import hash_matches, hash_password, password_matches

WINDOW = timedelta(minutes=15)
LONGEST_WAIT_MINUTES = 60
RECOVERY_CODES = 10
RECOVERY_CODE_LENGTH = 10  # hex digits, shown as two groups of five
ISSUER = "Facilitator"
TOTP_SEAL = "facilitator totp secret"  # the purpose its sealing key is derived for

log = logging.getLogger(__name__)


def account_key(email: str) -> str:
    """A keyed hash of the typed email: the same for the same address, useless without the key."""
    secret = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(secret, email.strip().lower().encode(), hashlib.sha256).hexdigest()


def _wait(failures: int, latest: Any, limit: int) -> int:
    """Minutes still to wait: from the limit on, 1, 2, 4 ... minutes after the latest failure."""
    if failures < limit or latest is None:
        return 0
    delay = timedelta(minutes=min(2 ** (failures - limit), LONGEST_WAIT_MINUTES))
    remaining = latest + delay - utcnow()
    seconds = remaining.total_seconds()
    return max(0, int(-(-seconds // 60)))  # whole minutes, rounded up


def wait_minutes(key: str, address: str) -> int:
    """Minutes before this account or address may try again; 0 when it may now."""
    since = utcnow() - WINDOW
    config = current_app.config
    waits = []
    for column, value, limit in (
        (SignInFailure.account_key, key, config["SIGN_IN_ACCOUNT_LIMIT"]),
        (SignInFailure.address, address, config["SIGN_IN_ADDRESS_LIMIT"]),
    ):
        failures, latest = db.session.execute(
            select(func.count(SignInFailure.id), func.max(SignInFailure.at)).where(
                column == value, SignInFailure.at > since
            )
        ).one()
        waits.append(_wait(failures, latest, limit))
    return max(waits)


def _actor(user: User | None) -> Actor:
    return staff_actor(user) if user is not None else ANONYMOUS


def record_failure(key: str, address: str, user: User | None, stage: str) -> None:
    """Count a failed step and audit it (no user id for an unknown account)."""
    db.session.execute(delete(SignInFailure).where(SignInFailure.at < utcnow() - WINDOW * 4))
    db.session.add(SignInFailure(account_key=key, address=address[:64]))
    audit.record(
        _actor(user), "auth.sign_in_failed", detail={"known": user is not None, "stage": stage}
    )
    db.session.commit()


def record_locked(user: User | None, minutes: int) -> None:
    audit.record(
        _actor(user), "auth.locked", detail={"known": user is not None, "minutes": minutes}
    )
    db.session.commit()


def record_success(user: User, key: str, method: str) -> None:
    """A completed sign-in clears the account's failures (the address keeps its count)."""
    db.session.execute(delete(SignInFailure).where(SignInFailure.account_key == key))
    audit.record(staff_actor(user), "auth.sign_in", detail={"method": method})
    db.session.commit()


def mfa_required(user: User) -> bool:
    """Does this deployment require a second factor of the user's role?"""
    return user.role in current_app.config["MFA_REQUIRED_ROLES"]


# --- TOTP -----------------------------------------------------------------------------


def keep_totp_secret(user: User, secret: str) -> None:
    """Store a user's TOTP secret sealed (sealed.py): a copy of the database cannot make codes."""
    key = current_app.config["SECRET_KEY"]
    user.totp_secret = sealed.seal(key, TOTP_SEAL, str(user.id), secret)


def totp_secret(user: User) -> str | None:
    """The user's TOTP secret, or None: none stored, or it no longer opens (SECRET_KEY was
    changed): then only a recovery code or an admin's reset lets them in."""
    if not user.totp_secret:
        return None
    key = current_app.config["SECRET_KEY"]
    try:
        return sealed.unseal(key, TOTP_SEAL, str(user.id), user.totp_secret)
    except sealed.Unsealable:
        log.error("the TOTP secret of user %s does not open (was SECRET_KEY changed?)", user.id)
        return None


def pending_secret(user: User) -> str:
    """The secret being enrolled: made once, kept sealed in the database (never a URL or
    cookie), shown to its user alone."""
    if user.mfa_enabled:
        raise ValueError("already enrolled")
    secret = totp_secret(user)
    if secret is None:
        secret = pyotp.random_base32()
        keep_totp_secret(user, secret)
        db.session.commit()
    return secret


def provisioning_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def _matching_step(secret: str, code: str) -> int | None:
    """The time step whose code this is (the current one, or one step either side)."""
    code = "".join(code.split())
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    now = utcnow().timestamp()
    for offset in (0, -1, 1):
        at = now + offset * totp.interval
        if hmac.compare_digest(totp.at(at), code):
            return int(at // totp.interval)
    return None


def check_totp(user: User, code: str) -> bool:
    """A current code of the enrolled user, used at most once."""
    secret = totp_secret(user) if user.mfa_enabled else None
    if secret is None:
        return False
    step = _matching_step(secret, code)
    if step is None or (user.totp_last_step is not None and step <= user.totp_last_step):
        return False
    user.totp_last_step = step
    db.session.commit()
    return True


def _normal(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def _new_recovery_codes(user: User) -> list[str]:
    """Ten codes of 40 random bits, hashed with Argon2id like passwords (ASVS 6.5.2: under
    112 bits a salted password hash, not a plain digest)."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [
        "-".join(secrets.token_hex(5)[i : i + 5] for i in (0, 5)) for _ in range(RECOVERY_CODES)
    ]
    db.session.add_all(
        RecoveryCode(user_id=user.id, code_hash=hash_password(_normal(c))) for c in codes
    )
    return codes


def confirm_enrolment(user: User, code: str) -> list[str] | None:
    """Turn MFA on if the code matches the pending secret; return the recovery codes (shown
    once, stored hashed), or None for a wrong code."""
    secret = None if user.mfa_enabled else totp_secret(user)
    if secret is None:
        return None
    step = _matching_step(secret, code)
    if step is None:
        return None
    user.mfa_enabled = True
    user.totp_last_step = step
    codes = _new_recovery_codes(user)
    audit.record(staff_actor(user), "auth.mfa_enrolled")
    db.session.commit()
    return codes


def use_recovery_code(user: User, code: str) -> bool:
    """Spend one unused recovery code of the user."""
    typed = _normal(code)
    if not user.mfa_enabled or len(typed) != RECOVERY_CODE_LENGTH:
        return False
    unused = db.session.scalars(
        select(RecoveryCode).where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    )
    found = next((c for c in unused if hash_matches(c.code_hash, typed)), None)
    if found is None:
        return False
    found.used_at = utcnow()
    left = db.session.scalar(
        select(func.count(RecoveryCode.id)).where(
            RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
        )
    )
    audit.record(staff_actor(user), "auth.recovery_code_used", detail={"left": left})
    db.session.commit()
    return True


def check_second_factor(user: User, code: str) -> str | None:
    """The method ("totp" or "recovery_code") when the code is good, else None."""
    if check_totp(user, code):
        return "totp"
    if use_recovery_code(user, code):
        return "recovery_code"
    return None


def confirm_identity(actor: Actor, user: User, answer: str) -> str | None:
    """Step-up before an export: the method ("totp" or "password") when the answer is a
    current code or the password, recorded in the audit trail; else None."""
    method = None
    if user.mfa_enabled and check_totp(user, answer):
        method = "totp"
    elif password_matches(user, answer):
        method = "password"
    if method is not None:
        audit.record(actor, "auth.step_up", detail={"method": method})
        db.session.commit()
    return method


def turn_off_mfa(actor: Actor, user: User, action: str) -> None:
    """Remove the user's second factor (their own choice, or an admin's reset)."""
    user.mfa_enabled = False
    user.totp_secret = None
    user.totp_last_step = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    audit.record(actor, action, detail={"user_id": user.id})
    db.session.commit()

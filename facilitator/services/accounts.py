"""Staff accounts and teams."""

from __future__ import annotations

import re
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from sqlalchemy import func, select

from facilitator.domain.actor import Actor, staff_actor
from facilitator.domain.errors import UserError
from facilitator.domain.limits import PASSWORD_MAX, PASSWORD_MIN, PASSWORD_MIN_WITH_MFA
from facilitator.domain.text import N_
from facilitator.extensions import db
from facilitator.models import Team, TeamMember, User
from facilitator.services import audit, sessions
from facilitator.services.access_epoch import raise_access_epoch

ROLES = ("admin", "supervisor", "worker")


@cache
def _argon2id(time_cost: int, memory_kib: int, parallelism: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=parallelism)


def _hasher() -> PasswordHasher:
    """Argon2id at this app's cost (the ARGON2_* settings)."""
    config = current_app.config
    return _argon2id(
        config["ARGON2_TIME_COST"], config["ARGON2_MEMORY_KIB"], config["ARGON2_PARALLELISM"]
    )


@cache
def _dummy_hash(hasher: PasswordHasher) -> str:
    """Verifying against this keeps unknown accounts as slow as known ones. Made at the
    first sign-in, not at import: one Argon2 hash is most of a worker's start-up CPU."""
    return hasher.hash("not a real password, only for timing")


class AccountError(UserError):
    """A refused account change, with a message for the user."""


@cache
def _common_passwords() -> frozenset[str]:
    """The 30,000 most common passwords, from the zxcvbn package (pinned in requirements)."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


# Words anyone could guess from the context (ASVS 6.2.11); with the person's name and email
CONTEXT_WORDS = ("facilitator", "password", "passwort", "contraseña", "welcome", "county")


def _context_words(context: tuple[str, ...]) -> set[str]:
    words = set(CONTEXT_WORDS)
    for text in context:
        words.update(w for w in re.split(r"[^\w]+", text.lower()) if len(w) >= 3)
    return words


def check_password_rules(
    password: str, *, mfa: bool = False, context: tuple[str, ...] = ()
) -> None:
    """Raise AccountError unless the password meets NIST SP 800-63B: long enough (shorter
    with MFA), not too long, not a common password, and not mostly words from the context
    (the app's name, the person's name and email: what is left must be half the minimum
    length). No composition rules."""
    shortest = PASSWORD_MIN_WITH_MFA if mfa else PASSWORD_MIN
    if len(password) < shortest:
        raise AccountError(N_("Use at least %(count)s characters."), count=shortest)
    if len(password) > PASSWORD_MAX:
        raise AccountError(N_("Use at most %(count)s characters."), count=PASSWORD_MAX)
    if password.lower() in _common_passwords() or " ".join(password.split()).lower() in (
        _common_passwords()
    ):
        raise AccountError(
            N_("That password is on a list of common passwords. Choose another one.")
        )
    rest = password.lower()
    for word in sorted(_context_words(context), key=len, reverse=True):
        rest = rest.replace(word, "")
    if len("".join(rest.split())) < shortest // 2:
        raise AccountError(
            N_("Your name, your email and the name of this app are easy to guess: "
               "use other words as well.")
        )  # fmt: skip


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def hash_matches(stored: str, secret: str) -> bool:
    try:
        return _hasher().verify(stored, secret)
    except (VerificationError, InvalidHashError):
        return False


def password_matches(user: User, password: str) -> bool:
    """Check a signed-in user's password again (a change or a step-up)."""
    return hash_matches(user.password_hash, password)


def has_users() -> bool:
    """True once any staff account exists."""
    return bool(db.session.scalar(select(func.count(User.id))))


def create_user(
    email: str,
    display_name: str,
    password: str,
    role: str = "worker",
    *,
    actor: Actor | None = None,
) -> User:
    """Create a staff account with an Argon2id password hash (audited when an admin does)."""
    email = email.strip().lower()
    display_name = " ".join(display_name.split())
    if "@" not in email or len(email) > 254:
        raise AccountError(N_("Enter a valid email address."))
    if not display_name or len(display_name) > 80:
        raise AccountError(N_("Enter a name of at most 80 characters."))
    if role not in ROLES:
        raise AccountError(N_("Choose a role: admin, supervisor or worker."))
    check_password_rules(password, context=(email, display_name))
    if db.session.scalar(select(User).where(User.email == email)):
        raise AccountError(N_("An account with that email already exists."))
    user = User(
        email=email, display_name=display_name, password_hash=_hasher().hash(password), role=role
    )
    db.session.add(user)
    if actor is not None:
        db.session.flush()
        audit.record(actor, "admin.user_created", detail={"user_id": user.id, "role": role})
    db.session.commit()
    return user


def find_user(email: str) -> User | None:
    user: User | None = db.session.scalar(select(User).where(User.email == email.strip().lower()))
    return user


def change_password(user: User, password: str) -> None:
    """Set a new password by the same rules (shorter allowed while MFA is on); audited."""
    check_password_rules(password, mfa=user.mfa_enabled, context=(user.email, user.display_name))
    user.password_hash = _hasher().hash(password)
    audit.record(staff_actor(user), "auth.password_changed")
    db.session.commit()


def authenticate(email: str, password: str) -> User | None:
    """Return the active user with these credentials, or None."""
    user: User | None = db.session.scalar(select(User).where(User.email == email.strip().lower()))
    hasher = _hasher()
    try:
        hasher.verify(user.password_hash if user else _dummy_hash(hasher), password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None or not user.active:
        return None
    if hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hasher.hash(password)
        db.session.commit()
    return user


def create_team(name: str, *, actor: Actor | None = None) -> Team:
    """Create a team with a unique name."""
    name = " ".join(name.split())
    if not name or len(name) > 80:
        raise AccountError(N_("Enter a team name of at most 80 characters."))
    if db.session.scalar(select(Team).where(Team.name == name)):
        raise AccountError(N_("A team with that name already exists."))
    team = Team(name=name)
    db.session.add(team)
    if actor is not None:
        db.session.flush()
        audit.record(actor, "admin.team_created", detail={"team_id": team.id})
    db.session.commit()
    return team


def add_member(team: Team, user: User, *, actor: Actor | None = None) -> None:
    """Add a user to a team (no-op if already a member)."""
    if user.id not in {m.user_id for m in team.members}:
        db.session.add(TeamMember(team=team, user=user))
        if actor is not None:
            detail = {"team_id": team.id, "user_id": user.id}
            audit.record(actor, "admin.member_added", detail=detail)
        db.session.commit()


def remove_member(team: Team, user: User, *, actor: Actor | None = None) -> None:
    """Remove a user from a team. The caller closes the sockets they may no longer keep
    (publisher.close_revoked): their other teams' work goes on."""
    removed = False
    for membership in list(team.members):
        if membership.user_id == user.id:
            db.session.delete(membership)
            removed = True
    if removed:
        raise_access_epoch()  # their cached socket identities still name the team
    if removed and actor is not None:
        audit.record(actor, "admin.member_removed", detail={"team_id": team.id, "user_id": user.id})
    db.session.commit()


def _last_admin(user: User) -> bool:
    """True if this is the only active admin (the deployment would have none without them)."""
    if user.role != "admin" or not user.active:
        return False
    query = select(func.count(User.id)).where(User.role == "admin", User.active.is_(True))
    return (db.session.scalar(query) or 0) <= 1


def set_active(actor: Actor, user: User, active: bool) -> None:
    """An admin disables or enables an account. Disabling ends all its sessions (the caller
    closes their sockets: publisher.close_signed_out); it cannot be one's own account nor
    the last active admin."""
    if user.active == active:
        return
    if not active and (user.id == actor.user_id or _last_admin(user)):
        raise AccountError(N_("You can't disable your own account or the last admin."))
    user.active = active
    action = "admin.user_enabled" if active else "admin.user_disabled"
    audit.record(actor, action, detail={"user_id": user.id})
    db.session.commit()
    if not active:
        sessions.end_sessions(user.id, "account_disabled")


def set_role(actor: Actor, user: User, role: str) -> None:
    """An admin changes someone's role. Their sessions end (they sign in again with the
    new role; the caller closes their sockets); not one's own role, nor the last admin's."""
    if role not in ROLES:
        raise AccountError(N_("Choose a role: admin, supervisor or worker."))
    if user.role == role:
        return
    if user.id == actor.user_id or _last_admin(user):
        raise AccountError(N_("You can't change your own role or the last admin's."))
    detail = {"user_id": user.id, "from": user.role, "to": role}
    user.role = role
    audit.record(actor, "admin.role_changed", detail=detail)
    db.session.commit()
    sessions.end_sessions(user.id, "role_changed")


def sign_out_everywhere(actor: Actor, user: User) -> int:
    """An admin signs someone out everywhere (a lost laptop, say); audited."""
    audit.record(actor, "admin.sessions_ended", detail={"user_id": user.id})
    db.session.commit()
    return sessions.end_sessions(user.id, "ended_by_admin")


def list_users() -> list[User]:
    return list(db.session.scalars(select(User).order_by(User.display_name)))


def list_teams() -> list[Team]:
    return list(db.session.scalars(select(Team).order_by(Team.name)))


def teams_of(user_id: int, is_admin: bool) -> list[Team]:
    """The teams a user may file cases under."""
    query = select(Team).order_by(Team.name)
    if not is_admin:
        query = query.join(TeamMember).where(TeamMember.user_id == user_id)
    return list(db.session.scalars(query))

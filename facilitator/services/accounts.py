"""Staff accounts and teams."""

from __future__ import annotations

import re
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select

from facilitator.domain.errors import UserError
from facilitator.domain.limits import PASSWORD_MAX, PASSWORD_MIN, PASSWORD_MIN_WITH_MFA
from facilitator.domain.text import N_
from facilitator.extensions import db
from facilitator.models import Team, TeamMember, User

ROLES = ("admin", "supervisor", "worker")
_hasher = PasswordHasher()  # Argon2id
# Verifying against this keeps unknown accounts as slow as known ones.
_DUMMY_HASH = _hasher.hash("not a real password, only for timing")


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
    return _hasher.hash(password)


def hash_matches(stored: str, secret: str) -> bool:
    try:
        return _hasher.verify(stored, secret)
    except (VerificationError, InvalidHashError):
        return False


def password_matches(user: User, password: str) -> bool:
    """Check a signed-in user's password again (a change or a step-up)."""
    return hash_matches(user.password_hash, password)


def has_users() -> bool:
    """True once any staff account exists."""
    return bool(db.session.scalar(select(func.count(User.id))))


def create_user(email: str, display_name: str, password: str, role: str = "worker") -> User:
    """Create a staff account with an Argon2id password hash."""
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
        email=email, display_name=display_name, password_hash=_hasher.hash(password), role=role
    )
    db.session.add(user)
    db.session.commit()
    return user


def find_user(email: str) -> User | None:
    user: User | None = db.session.scalar(select(User).where(User.email == email.strip().lower()))
    return user


def change_password(user: User, password: str) -> None:
    """Set a new password by the same rules (shorter allowed while MFA is on); audited."""
    from facilitator.identity import staff_actor
    from facilitator.services import audit

    check_password_rules(password, mfa=user.mfa_enabled, context=(user.email, user.display_name))
    user.password_hash = _hasher.hash(password)
    audit.record(staff_actor(user), "auth.password_changed")
    db.session.commit()


def authenticate(email: str, password: str) -> User | None:
    """Return the active user with these credentials, or None."""
    user: User | None = db.session.scalar(select(User).where(User.email == email.strip().lower()))
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None or not user.active:
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
        db.session.commit()
    return user


def create_team(name: str) -> Team:
    """Create a team with a unique name."""
    name = " ".join(name.split())
    if not name or len(name) > 80:
        raise AccountError(N_("Enter a team name of at most 80 characters."))
    if db.session.scalar(select(Team).where(Team.name == name)):
        raise AccountError(N_("A team with that name already exists."))
    team = Team(name=name)
    db.session.add(team)
    db.session.commit()
    return team


def add_member(team: Team, user: User) -> None:
    """Add a user to a team (no-op if already a member)."""
    if user.id not in {m.user_id for m in team.members}:
        db.session.add(TeamMember(team=team, user=user))
        db.session.commit()


def remove_member(team: Team, user: User) -> None:
    """Remove a user from a team."""
    for membership in list(team.members):
        if membership.user_id == user.id:
            db.session.delete(membership)
    db.session.commit()


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

"""The access epoch: one counter every loss of access raises, so the cached identities of
open sockets (identity.ConnectionCache) are read again before their next operation."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from facilitator.extensions import db
from facilitator.models import AccessEpoch


def raise_access_epoch() -> None:
    """Raise the access epoch inside the current transaction (a role changed, say)."""
    raised = db.session.execute(
        update(AccessEpoch).where(AccessEpoch.id == 1).values(value=AccessEpoch.value + 1)
    )
    if raised.rowcount == 0:  # type: ignore[attr-defined]
        db.session.add(AccessEpoch(id=1, value=1))
        db.session.flush()


def access_changed() -> None:
    """Raise the access epoch, committed at once: every cached socket identity is re-read."""
    for _attempt in range(2):
        try:
            raise_access_epoch()
            db.session.commit()
            return
        except IntegrityError:  # another process made the row first: raise that one
            db.session.rollback()

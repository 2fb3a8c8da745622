"""An agency's own frameworks: each publication is a new version that never changes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from facilitator.extensions import db
from facilitator.models.types import utcnow


class AgencyFramework(db.Model):  # type: ignore[name-defined,misc]
    """A framework an admin added for the agency; its content lives in its versions."""

    __tablename__ = "agency_frameworks"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    latest_version: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class FrameworkVersion(db.Model):  # type: ignore[name-defined,misc]
    """One published version of an agency framework, as published (never updated)."""

    __tablename__ = "framework_versions"
    __table_args__ = (UniqueConstraint("framework_key", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    framework_key: Mapped[str] = mapped_column(ForeignKey("agency_frameworks.key"), index=True)
    version: Mapped[int]
    definition: Mapped[dict[str, Any]] = mapped_column(JSON)
    published_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

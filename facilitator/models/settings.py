"""Texts an agency words its own way (scale anchors, the plain-language list)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from facilitator.extensions import db
from facilitator.models.types import utcnow


class AgencyText(db.Model):  # type: ignore[name-defined,misc]
    """One agency-worded text, by key; absent keys use the built-in wording."""

    __tablename__ = "agency_texts"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

"""TOTP secrets sealed at rest: the column widens, and secrets stored in clear are sealed

Revision ID: 7c2d9e4f1a38
Revises: 3b9e1f7a2c64
Create Date: 2026-12-05 02:40:00.000000

"""

from alembic import op
import sqlalchemy as sa
from flask import current_app

from facilitator import sealed


# revision identifiers, used by Alembic.
revision = "7c2d9e4f1a38"
down_revision = "3b9e1f7a2c64"
branch_labels = None
depends_on = None

PURPOSE = "facilitator totp secret"  # services/signin.TOTP_SEAL when this was written
users = sa.table("users", sa.column("id", sa.Integer), sa.column("totp_secret", sa.String))


def _rewrite(change):
    bind = op.get_bind()
    key = current_app.config["SECRET_KEY"]
    rows = bind.execute(
        sa.select(users.c.id, users.c.totp_secret).where(users.c.totp_secret.is_not(None))
    ).all()
    for user_id, stored in rows:
        rewritten = change(key, str(user_id), stored)
        if rewritten != stored:
            bind.execute(
                users.update().where(users.c.id == user_id).values(totp_secret=rewritten)
            )


def _seal(key, owner, stored):
    return stored if sealed.is_sealed(stored) else sealed.seal(key, PURPOSE, owner, stored)


def _open(key, owner, stored):
    return sealed.unseal(key, PURPOSE, owner, stored) if sealed.is_sealed(stored) else stored


def upgrade():
    with op.batch_alter_table("users") as batch_op:
        batch_op.alter_column(
            "totp_secret", existing_type=sa.String(length=64), type_=sa.String(length=128)
        )
    _rewrite(_seal)


def downgrade():
    _rewrite(_open)  # a value that no longer opens stops the downgrade: nothing is lost
    with op.batch_alter_table("users") as batch_op:
        batch_op.alter_column(
            "totp_secret", existing_type=sa.String(length=128), type_=sa.String(length=64)
        )

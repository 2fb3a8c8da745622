"""Next steps marked from the case page: done, dropped or still open, outside a meeting

Revision ID: a7c3e9d1f2b8
Revises: 5d8b2a7e4c19
Create Date: 2026-12-06 23:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "a7c3e9d1f2b8"
down_revision = "5d8b2a7e4c19"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "next_step_marks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("marked_by_id", sa.Integer(), nullable=False),
        sa.Column("marked_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"]),
        sa.ForeignKeyConstraint(["item_id"], ["items.id"]),
        sa.ForeignKeyConstraint(["marked_by_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("next_step_marks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_next_step_marks_case_id"), ["case_id"], unique=False)


def downgrade():
    with op.batch_alter_table("next_step_marks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_next_step_marks_case_id"))
    op.drop_table("next_step_marks")

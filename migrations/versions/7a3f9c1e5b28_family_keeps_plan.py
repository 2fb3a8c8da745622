"""The family keeps its plan: when the facilitator withdrew a closed meeting's action plan
from its guests, and who

Revision ID: 7a3f9c1e5b28
Revises: a7c3e9d1f2b8
Create Date: 2026-12-06 22:50:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "7a3f9c1e5b28"
down_revision = "a7c3e9d1f2b8"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("plan_withdrawn_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("plan_withdrawn_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_meetings_plan_withdrawn_by_id_users", "users", ["plan_withdrawn_by_id"], ["id"]
        )


def downgrade():
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.drop_constraint("fk_meetings_plan_withdrawn_by_id_users", type_="foreignkey")
        batch_op.drop_column("plan_withdrawn_by_id")
        batch_op.drop_column("plan_withdrawn_at")

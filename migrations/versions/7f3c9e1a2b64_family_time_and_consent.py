"""Private family time and the child's consent: when the family's own time started, the
items the family keeps to itself until it shares them, and the consent recorded for
showing a child's words

Revision ID: 7f3c9e1a2b64
Revises: c5e2b7d9a413
Create Date: 2026-12-06 23:00:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "7f3c9e1a2b64"
down_revision = "c5e2b7d9a413"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("family_time_started_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("child_consent", sa.JSON(), nullable=True))
    with op.batch_alter_table("items", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("family_private", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade():
    with op.batch_alter_table("items", schema=None) as batch_op:
        batch_op.drop_column("family_private")
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.drop_column("child_consent")
        batch_op.drop_column("family_time_started_at")

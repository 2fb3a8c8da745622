"""meeting events keep a digest of the op as sent: a reused op_id with other content is refused

Revision ID: d41f6a2c8b07
Revises: 7c2d9e4f1a38
Create Date: 2026-12-06 19:45:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd41f6a2c8b07'
down_revision = '7c2d9e4f1a38'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('meeting_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('op_digest', sa.String(length=64), nullable=True))


def downgrade():
    with op.batch_alter_table('meeting_events', schema=None) as batch_op:
        batch_op.drop_column('op_digest')

"""what the room's screen presents: the facilitator's choice, per meeting

Revision ID: 5d1e8a3c7b42
Revises: 7c2d9e4f1a38
Create Date: 2026-12-06 19:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5d1e8a3c7b42'
down_revision = '7c2d9e4f1a38'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('presentation', sa.JSON(), nullable=False, server_default='{}'))


def downgrade():
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_column('presentation')

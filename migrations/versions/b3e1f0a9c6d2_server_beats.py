"""server beats: a worker's sign of life, so the others can drop a dead worker's presence

Revision ID: b3e1f0a9c6d2
Revises: e3a91c0d7f21
Create Date: 2026-11-27 02:15:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b3e1f0a9c6d2'
down_revision = 'e3a91c0d7f21'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('server_beats',
    sa.Column('server_id', sa.String(length=64), nullable=False),
    sa.Column('seen_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('server_id')
    )


def downgrade():
    op.drop_table('server_beats')

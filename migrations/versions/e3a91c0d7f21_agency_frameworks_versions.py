"""agency frameworks and their versions; a meeting records its framework's version

Revision ID: e3a91c0d7f21
Revises: b3f1c8e2a94d
Create Date: 2026-11-27 02:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e3a91c0d7f21'
down_revision = 'b3f1c8e2a94d'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('agency_frameworks',
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('latest_version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('key')
    )
    op.create_table('framework_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('framework_key', sa.String(length=40), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('definition', sa.JSON(), nullable=False),
    sa.Column('published_at', sa.DateTime(), nullable=False),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['framework_key'], ['agency_frameworks.key'], ),
    sa.ForeignKeyConstraint(['published_by_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('framework_key', 'version')
    )
    with op.batch_alter_table('framework_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_framework_versions_framework_key'), ['framework_key'], unique=False)
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('framework_version', sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_column('framework_version')
    with op.batch_alter_table('framework_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_framework_versions_framework_key'))
    op.drop_table('framework_versions')
    op.drop_table('agency_frameworks')

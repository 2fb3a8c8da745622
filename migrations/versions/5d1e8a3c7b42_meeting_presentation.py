"""the room's screen: what it presents (per meeting), and display links that open it

Revision ID: 5d1e8a3c7b42
Revises: d41f6a2c8b07
Create Date: 2026-12-06 19:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5d1e8a3c7b42'
down_revision = 'd41f6a2c8b07'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('presentation', sa.JSON(), nullable=False, server_default='{}'))
    op.create_table('display_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], ),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('token_hash')
    )
    with op.batch_alter_table('display_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_display_links_meeting_id'), ['meeting_id'], unique=False)
    with op.batch_alter_table('participants', schema=None) as batch_op:
        batch_op.add_column(sa.Column('display_link_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_participants_display_link_id_display_links', 'display_links', ['display_link_id'], ['id'])


def downgrade():
    with op.batch_alter_table('participants', schema=None) as batch_op:
        batch_op.drop_constraint('fk_participants_display_link_id_display_links', type_='foreignkey')
        batch_op.drop_column('display_link_id')
    with op.batch_alter_table('display_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_display_links_meeting_id'))
    op.drop_table('display_links')
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_column('presentation')

"""who is involved: the people around the child, kept per case; items name them

Revision ID: b3f1c8e2a94d
Revises: ca47bb0fe76d
Create Date: 2026-11-27 02:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b3f1c8e2a94d'
down_revision = 'ca47bb0fe76d'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('involved_people',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('relationship', sa.String(length=60), nullable=False),
    sa.Column('age', sa.Integer(), nullable=True),
    sa.Column('household', sa.String(length=60), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('added_by_id', sa.Integer(), nullable=True),
    sa.Column('removed', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['added_by_id'], ['participants.id'], ),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('involved_people', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_involved_people_case_id'), ['case_id'], unique=False)

    with op.batch_alter_table('items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('person_ids', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('items', schema=None) as batch_op:
        batch_op.drop_column('person_ids')

    with op.batch_alter_table('involved_people', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_involved_people_case_id'))

    op.drop_table('involved_people')

"""language preferences: a staff member's, a guest's, a meeting's display's

Revision ID: 3b9e1f7a2c64
Revises: b3e1f0a9c6d2
Create Date: 2026-11-27 01:50:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "3b9e1f7a2c64"
down_revision = 'b3e1f0a9c6d2'
branch_labels = None
depends_on = None

TABLES = {"users": "language", "participants": "language", "meetings": "display_language"}


def upgrade():
    for table, column in TABLES.items():
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column(column, sa.String(length=16), nullable=True))


def downgrade():
    for table, column in TABLES.items():
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column(column)

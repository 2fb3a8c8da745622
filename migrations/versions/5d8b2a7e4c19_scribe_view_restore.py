"""Whose view and the scribe: a participant's own view, who typed an item or rating for
someone in the room without a device, and who deleted an item (only they may restore it)

Revision ID: 5d8b2a7e4c19
Revises: 5d1e8a3c7b42
Create Date: 2026-12-06 19:40:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "5d8b2a7e4c19"
down_revision = "5d1e8a3c7b42"
branch_labels = None
depends_on = None

# (table, column) of the new references to participants.id
REFERENCES = (("items", "scribe_id"), ("items", "deleted_by_id"), ("ratings", "scribe_id"))


def upgrade():
    with op.batch_alter_table("participants", schema=None) as batch_op:
        batch_op.add_column(sa.Column("view", sa.String(length=20), nullable=True))
    for table in ("items", "ratings"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name, column in REFERENCES:
                if name == table:
                    batch_op.add_column(sa.Column(column, sa.Integer(), nullable=True))
                    batch_op.create_foreign_key(
                        f"fk_{table}_{column}_participants", "participants", [column], ["id"]
                    )


def downgrade():
    for table in ("ratings", "items"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name, column in REFERENCES:
                if name == table:
                    batch_op.drop_constraint(
                        f"fk_{table}_{column}_participants", type_="foreignkey"
                    )
                    batch_op.drop_column(column)
    with op.batch_alter_table("participants", schema=None) as batch_op:
        batch_op.drop_column("view")

"""Before the meeting and the reveal threshold (issue 18): links for a young person or a
parent to write before a meeting, what they wrote, and each scale round's reveal threshold

Revision ID: c5e2b7d9a413
Revises: 7a3f9c1e5b28
Create Date: 2026-12-06 23:00:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "c5e2b7d9a413"
down_revision = "7a3f9c1e5b28"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("scale_rounds", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("reveal_threshold", sa.Integer(), server_default="1", nullable=False)
        )
    op.create_table(
        "pre_meeting_invites",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("who", sa.String(length=20), nullable=False),
        sa.Column("language", sa.String(length=16), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.Column("participant_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["meeting_id"], ["meetings.id"]),
        sa.ForeignKeyConstraint(["participant_id"], ["participants.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    op.create_index(
        "ix_pre_meeting_invites_meeting_id", "pre_meeting_invites", ["meeting_id"], unique=False
    )
    op.create_table(
        "pre_meeting_inputs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("invite_id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=True),
        sa.Column("brought_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["invite_id"], ["pre_meeting_invites.id"]),
        sa.ForeignKeyConstraint(["item_id"], ["items.id"]),
        sa.ForeignKeyConstraint(["meeting_id"], ["meetings.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_pre_meeting_inputs_invite_id", "pre_meeting_inputs", ["invite_id"], unique=False
    )
    op.create_index(
        "ix_pre_meeting_inputs_meeting_id", "pre_meeting_inputs", ["meeting_id"], unique=False
    )


def downgrade():
    op.drop_index("ix_pre_meeting_inputs_meeting_id", table_name="pre_meeting_inputs")
    op.drop_index("ix_pre_meeting_inputs_invite_id", table_name="pre_meeting_inputs")
    op.drop_table("pre_meeting_inputs")
    op.drop_index("ix_pre_meeting_invites_meeting_id", table_name="pre_meeting_invites")
    op.drop_table("pre_meeting_invites")
    with op.batch_alter_table("scale_rounds", schema=None) as batch_op:
        batch_op.drop_column("reveal_threshold")

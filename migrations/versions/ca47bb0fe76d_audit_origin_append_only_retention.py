"""audit trail origin, append-only triggers, case retention

Audit entries gain the actor's role, the client's address and the request id; their
case, meeting and participant ids become plain integers (a purged case's entries stay);
triggers refuse UPDATE and DELETE of an entry. Cases gain closed_at, a retention of
their own and a legal hold.

Revision ID: ca47bb0fe76d
Revises: 642e09f5ab53
Create Date: 2026-11-26 22:56:25.148166

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'ca47bb0fe76d'
down_revision = '642e09f5ab53'
branch_labels = None
depends_on = None

# The audit table's foreign keys were created unnamed: PostgreSQL named them itself,
# SQLite's are found by this convention when batch mode reflects the table.
SQLITE_NAMING = {"fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s"}
AUDIT_FKS = [('case_id', 'cases'), ('meeting_id', 'meetings'), ('participant_id', 'participants')]

SQLITE_TRIGGERS = [
    "CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries "
    "BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END",
    "CREATE TRIGGER audit_entries_no_delete BEFORE DELETE ON audit_entries "
    "BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END",
]
POSTGRESQL_TRIGGERS = [
    "CREATE OR REPLACE FUNCTION audit_entries_append_only() RETURNS trigger "
    "LANGUAGE plpgsql AS $$ BEGIN "
    "RAISE EXCEPTION 'audit entries are append-only'; END $$",
    "CREATE TRIGGER audit_entries_append_only BEFORE UPDATE OR DELETE ON audit_entries "
    "FOR EACH ROW EXECUTE FUNCTION audit_entries_append_only()",
]


def _fk_name(dialect, column, table):
    if dialect == 'sqlite':
        return f'fk_audit_entries_{column}_{table}'
    return f'audit_entries_{column}_fkey'


def upgrade():
    dialect = op.get_bind().dialect.name
    naming = SQLITE_NAMING if dialect == 'sqlite' else None
    with op.batch_alter_table('audit_entries', schema=None, naming_convention=naming) as batch_op:
        batch_op.add_column(sa.Column('actor_role', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('address', sa.String(length=45), nullable=True))
        batch_op.add_column(sa.Column('request_id', sa.String(length=32), nullable=True))
        batch_op.create_index(batch_op.f('ix_audit_entries_action'), ['action'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_entries_user_id'), ['user_id'], unique=False)
        for column, table in AUDIT_FKS:
            batch_op.drop_constraint(_fk_name(dialect, column, table), type_='foreignkey')

    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('closed_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('closed_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('retention_years', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('legal_hold', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('legal_hold_reason', sa.String(length=200), server_default='', nullable=False))
        batch_op.create_foreign_key('fk_cases_closed_by_id_users', 'users', ['closed_by_id'], ['id'])

    # after batch mode, which rebuilds the SQLite table (and would drop its triggers)
    for statement in SQLITE_TRIGGERS if dialect == 'sqlite' else POSTGRESQL_TRIGGERS:
        op.execute(statement)


def downgrade():
    dialect = op.get_bind().dialect.name
    if dialect == 'sqlite':
        op.execute('DROP TRIGGER IF EXISTS audit_entries_no_update')
        op.execute('DROP TRIGGER IF EXISTS audit_entries_no_delete')
    else:
        op.execute('DROP TRIGGER IF EXISTS audit_entries_append_only ON audit_entries')
        op.execute('DROP FUNCTION IF EXISTS audit_entries_append_only()')

    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_constraint('fk_cases_closed_by_id_users', type_='foreignkey')
        batch_op.drop_column('legal_hold_reason')
        batch_op.drop_column('legal_hold')
        batch_op.drop_column('retention_years')
        batch_op.drop_column('closed_by_id')
        batch_op.drop_column('closed_at')

    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        for column, table in AUDIT_FKS:
            batch_op.create_foreign_key(_fk_name(dialect, column, table), table, [column], ['id'])
        batch_op.drop_index(batch_op.f('ix_audit_entries_user_id'))
        batch_op.drop_index(batch_op.f('ix_audit_entries_action'))
        batch_op.drop_column('request_id')
        batch_op.drop_column('address')
        batch_op.drop_column('actor_role')

"""Shell commands: `flask create-user`, `flask seed-demo`, `flask audit verify`,
`flask retention purge`."""

from builders import count, tamper_audit, texts_in
from sqlalchemy import select

from facilitator.cli import DEMO_PASSWORD
from facilitator.extensions import db
from facilitator.models import AuditEntry, Case, Item, Meeting, Team, User
from facilitator.services import accounts, retention

PASSPHRASE = "a passphrase typed at the shell"


def run(app, *args, **kwargs):
    """Run a command as `flask` does: inside an app context."""
    with app.app_context():
        return app.test_cli_runner().invoke(args=list(args), **kwargs)


def create_user(app, *extra):
    email = ["--email", "Ann@Example.org", "--name", "Ann Admin"]
    return run(app, "create-user", *email, *extra, "--password", PASSPHRASE)


def test_create_user_makes_an_admin_by_default(app):
    result = create_user(app)
    assert result.exit_code == 0, result.output
    assert "Created admin ann@example.org." in result.output
    with app.app_context():
        user = db.session.scalar(select(User))
        assert (user.email, user.role) == ("ann@example.org", "admin")
        assert accounts.authenticate("ann@example.org", PASSPHRASE) == user


def test_create_user_stores_names_without_control_or_bidi_characters(app):
    typed = ["--email", "bo\x00@example.org", "--name", "Bo\u202enimdA\x1b", "--team", "N\x00orth"]
    result = run(app, "create-user", *typed, "--password", PASSPHRASE)
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.scalar(select(User))
        assert (user.email, user.display_name) == ("bo@example.org", "BonimdA")
        assert db.session.scalar(select(Team.name)) == "North"


def test_create_user_with_a_team_creates_the_team_and_adds_them(app):
    assert create_user(app, "--role", "worker", "--team", "Night duty").exit_code == 0
    with app.app_context():
        user = db.session.scalar(select(User))
        assert [m.team.name for m in user.memberships] == ["Night duty"]


def test_create_user_joins_an_existing_team(app):
    with app.app_context():
        accounts.create_team("Night duty")
    assert create_user(app, "--team", "Night duty").exit_code == 0
    with app.app_context():
        assert count(Team) == 1


def test_create_user_refuses_a_short_password(app):
    result = run(app, "create-user", "--email", "a@example.org", "--name", "A", "--password", "x")
    assert result.exit_code != 0
    assert "at least 15 characters" in result.output
    with app.app_context():
        assert db.session.scalar(select(User)) is None


def test_create_user_refuses_an_unknown_role(app):
    assert create_user(app, "--role", "root").exit_code != 0


def test_create_user_refuses_a_second_account_with_the_same_email(app):
    create_user(app)
    result = create_user(app)
    assert result.exit_code != 0
    assert "already exists" in result.output


def test_create_user_asks_for_the_password_twice(app):
    email = ["--email", "a@example.org", "--name", "Ann"]
    result = run(app, "create-user", *email, input=f"{PASSPHRASE}\n{PASSPHRASE}\n")
    assert result.exit_code == 0, result.output


def test_seed_demo_creates_a_team_three_users_and_a_live_board(app):
    result = run(app, "seed-demo")
    assert result.exit_code == 0, result.output
    with app.app_context():
        roles = {u.email: u.role for u in db.session.scalars(select(User))}
        assert roles == {
            "admin@example.org": "admin",
            "supervisor@example.org": "supervisor",
            "worker@example.org": "worker",
        }
        meeting = db.session.scalar(select(Meeting))
        assert (meeting.status, meeting.rev) == ("live", 7)
        assert count(Item) == 7
        assert texts_in(meeting.id, "grey") == ["We don't know who else lives in the home."]
        assert db.session.scalar(select(Case)).label == "J.M. (age 6)"
        # the printed password works: this is how a newcomer tries the app
        assert DEMO_PASSWORD in result.output
        assert accounts.authenticate("supervisor@example.org", DEMO_PASSWORD) is not None


def test_seed_demo_refuses_to_run_twice(app):
    run(app, "seed-demo")
    again = run(app, "seed-demo")
    assert again.exit_code != 0
    assert "already here" in again.output
    with app.app_context():
        assert count(Meeting) == 1


def entry_ids(app):
    with app.app_context():
        return list(db.session.scalars(select(AuditEntry.id).order_by(AuditEntry.id)))


def test_audit_verify_reports_an_intact_chain(app):
    run(app, "seed-demo")  # seven board operations: seven entries
    result = run(app, "audit", "verify")
    assert result.exit_code == 0, result.output
    assert f"intact, {len(entry_ids(app))} entries" in result.output
    assert len(entry_ids(app)) == 7


def test_audit_verify_finds_a_changed_entry(app):
    run(app, "seed-demo")
    changed = entry_ids(app)[3]
    with app.app_context():
        tamper_audit("UPDATE audit_entries SET detail = '{}' WHERE id = :id", id=changed)
    result = run(app, "audit", "verify")
    assert result.exit_code == 1
    assert f"broken at entry {changed}" in result.output


def test_audit_verify_finds_a_deleted_entry(app):
    run(app, "seed-demo")
    ids = entry_ids(app)
    with app.app_context():
        tamper_audit("DELETE FROM audit_entries WHERE id = :id", id=ids[2])
    result = run(app, "audit", "verify")
    assert result.exit_code == 1
    assert f"broken at entry {ids[3]}" in result.output


def test_retention_purge_dry_run_lists_and_purge_removes(app):
    run(app, "seed-demo")
    with app.app_context():
        case = db.session.scalar(select(Case))
        case_id = case.id
        retention.close_case(retention.SYSTEM, case)
        case.closed_at = case.closed_at.replace(year=case.closed_at.year - 4)
        db.session.commit()
    dry = run(app, "retention", "purge", "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert f"Would purge case {case_id}." in dry.output
    assert "J.M." not in dry.output
    with app.app_context():
        assert count(Case) == 1
    done = run(app, "retention", "purge")
    assert f"Purged case {case_id}." in done.output
    with app.app_context():
        assert (count(Case), count(Meeting), count(Item)) == (0, 0, 0)
        assert db.session.scalar(select(AuditEntry).order_by(AuditEntry.id.desc())).action == (
            "case.purged"
        )
    assert run(app, "audit", "verify").exit_code == 0

"""Shell commands: flask create-user, flask seed-demo, flask audit verify, flask retention
purge (and flask db upgrade from Flask-Migrate)."""

from __future__ import annotations

import click
from flask import Flask, current_app
from sqlalchemy import select

from facilitator.domain.actor import staff_actor
from facilitator.domain.fields import without_unsafe
from facilitator.extensions import db
from facilitator.models import Team, User
from facilitator.services import accounts, audit, board, cases, meetings, retention

DEMO_PASSWORD = "demo-password-for-trying-out"


def register(app: Flask) -> None:
    app.cli.add_command(create_user)
    app.cli.add_command(seed_demo)
    app.cli.add_command(audit_group)
    app.cli.add_command(retention_group)


@click.group("audit")
def audit_group() -> None:
    """The audit trail."""


@audit_group.command("verify")
def audit_verify() -> None:
    """Check the hash chain; exit 1 at the first broken link."""
    broken, count = audit.check()
    if broken is not None:
        click.echo(f"The audit trail is broken at entry {broken}.", err=True)
        raise SystemExit(1)
    click.echo(f"The audit trail is intact, {count} entries.")


@click.group("retention")
def retention_group() -> None:
    """Retention of closed cases (WIC 10851)."""


@retention_group.command("purge")
@click.option("--dry-run", is_flag=True, help="List the cases that would be purged.")
def retention_purge(dry_run: bool) -> None:
    """Purge every closed case past its retention that is not on legal hold."""
    due = retention.purge_due(retention.SYSTEM, dry_run=dry_run)
    verb = "Would purge" if dry_run else "Purged"
    for case_id, _label in due:
        click.echo(f"{verb} case {case_id}.")  # ids only: labels stay out of logs
    click.echo(f"{verb} {len(due)} case(s).")


@click.command("create-user")
@click.option("--email", prompt=True)
@click.option("--name", "display_name", prompt=True)
@click.option("--role", type=click.Choice(accounts.ROLES), default="admin", show_default=True)
@click.option("--team", "team_name", default="", help="Add the user to this team (created if new).")
@click.password_option()
def create_user(email: str, display_name: str, role: str, team_name: str, password: str) -> None:
    """Create a staff account (the first one is usually the admin)."""
    email, display_name, team_name = map(without_unsafe, (email, display_name, team_name))
    try:
        user = accounts.create_user(email, display_name, password, role)
        if team_name:
            team = db.session.scalar(select(Team).where(Team.name == team_name))
            accounts.add_member(team or accounts.create_team(team_name), user)
    except accounts.AccountError as refused:
        raise click.ClickException(str(refused)) from refused
    click.echo(f"Created {role} {user.email}.")


@click.command("seed-demo")
def seed_demo() -> None:
    """Create a demo team, three staff users and a sample case with a live meeting."""
    if db.session.scalar(select(Team).where(Team.name == "Demo team")):
        raise click.ClickException("The demo data is already here.")
    team = accounts.create_team("Demo team")
    people = [
        ("admin@example.org", "Ada Admin", "admin"),
        ("supervisor@example.org", "Sam Supervisor", "supervisor"),
        ("worker@example.org", "Wren Worker", "worker"),
    ]
    users = []
    for email, name, role in people:
        user = db.session.scalar(select(User).where(User.email == email))
        user = user or accounts.create_user(email, name, DEMO_PASSWORD, role)
        accounts.add_member(team, user)
        users.append(user)
    supervisor = staff_actor(users[1])
    case = cases.create_case(supervisor, team, "J.M. (age 6)")
    meeting = meetings.start_meeting(supervisor, case, "group_supervision", "cisf")
    facilitator = meeting.participants[0]
    actor = staff_actor(
        users[1], participant_id=facilitator.id, meeting_id=meeting.id, meeting_role="facilitator"
    )
    samples = [
        ("reason", "What would help the worker decide about unsupervised visits?"),
        ("harm", "J. (6) came to school with a bruise on his arm; mother says it was a fall."),
        (
            "danger",
            "The school is worried that if mother drinks when she is alone with J., "
            "J. could be hurt again.",
        ),
        ("complicating", "Housing is at risk; the family may have to move next month."),
        ("strengths", "Mother brings J. to school every day and he is well fed."),
        ("safety", "Grandmother has looked after J. every weekend for three months."),
        ("grey", "We don't know who else lives in the home."),
    ]
    for number, (section, text) in enumerate(samples, start=1):
        board.apply_operation(
            actor,
            {
                "op_id": f"seed-demo-{number:04d}",
                "meeting_id": meeting.id,
                "type": "add_item",
                "payload": {"section": section, "text": text, "view": "agency"},
            },
        )
    click.echo("Demo data created. Sign in as any of:")
    for email, _name, role in people:
        click.echo(f"  {email} ({role})")
    click.echo(f"Password for all three: {DEMO_PASSWORD}")
    required = ", ".join(current_app.config["MFA_REQUIRED_ROLES"])
    if required:
        click.echo(
            f"Roles {required} set up an authenticator app at their first sign-in "
            "(FACILITATOR_MFA_REQUIRED_ROLES= turns that off for trying out)."
        )

"""The load test's database side, run as its own process against the app's database.

bench/load.py runs this with the same FACILITATOR_INSTANCE as the server it starts:

    appdb.py seed M [ITEMS]    one staff user and team, M cases with a live meeting each and
                               a guest invite; prints {"meetings": [{"id", "code"}, ...],
                               "sections": the keys of the meetings' framework}; with ITEMS,
                               one more live meeting with ITEMS items (added as board
                               operations) to export, as "export": {"id", "items", "email",
                               "password"} (the supervisor who may export it)
    appdb.py guests FILE       only when the join pages cannot be used: FILE holds
                               {"meetings": [{"id", "guests": N}]}; adds the guests through
                               meetings.join_as_guest and prints their signed session cookies
    appdb.py check FILE [ID]   FILE holds the acknowledged op_ids; compares meeting_events
                               (except meeting ID's: the export meeting's seeded items) with
                               them and prints the counts as JSON; or FILE holds {"acked":
                               [...], "meetings": [ids]}: only those meetings' events are
                               compared, and their revisions are printed too ("revs")

Everything goes through the app's own services and models, so this works on whichever
database FACILITATOR_DATABASE_URL names (embedded SQLite by default).
"""

from __future__ import annotations

import json
import sys
import uuid
import warnings
from pathlib import Path
from typing import Any

warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select, true  # noqa: E402

from facilitator import create_app  # noqa: E402
from facilitator.domain.frameworks import get_framework  # noqa: E402
from facilitator.extensions import db  # noqa: E402
from facilitator.identity import GUEST_SESSION_KEY, staff_actor  # noqa: E402
from facilitator.models import GuestInvite, Meeting, MeetingEvent  # noqa: E402
from facilitator.services import accounts, board, cases, meetings  # noqa: E402

BENCH_PASSWORD = "bench-password-not-for-real-use"


def seed(count: int, export_items: int = 0) -> dict[str, Any]:
    """One supervisor in one team; per meeting a case, a live meeting and an invite code."""
    team = accounts.create_team("Bench team")
    user = accounts.create_user(
        "bench@example.org", "Bench Supervisor", BENCH_PASSWORD, "supervisor"
    )
    accounts.add_member(team, user)
    actor = staff_actor(user)
    out = []
    for number in range(count):
        case = cases.create_case(actor, team, f"B.{number} (bench)", confirmed=True)
        meeting = meetings.start_meeting(actor, case, "group_supervision", "cisf")
        invite, _token = meetings.create_invite(actor, meeting, waiting_room=False)
        out.append({"id": meeting.id, "code": invite.code})
    framework = get_framework("cisf")
    assert framework is not None
    sections = [section.key for section in framework.sections]
    seeded: dict[str, Any] = {"meetings": out, "sections": sections}
    if export_items:
        seeded["export"] = {
            "id": seed_export_meeting(user, team, sections, export_items),
            "items": export_items,
            "email": user.email,
            "password": BENCH_PASSWORD,
        }
    return seeded


def seed_export_meeting(user: Any, team: Any, sections: list[str], items: int) -> int:
    """A live meeting with this many items, added through the board as a client would."""
    actor = staff_actor(user)
    case = cases.create_case(actor, team, "X. (bench export)", confirmed=True)
    meeting = meetings.start_meeting(actor, case, "group_supervision", "cisf")
    participant = meetings.staff_participant(meeting, user)
    db.session.commit()
    writer = staff_actor(
        user, participant_id=participant.id, meeting_id=meeting.id, meeting_role=participant.role
    )
    text = "Mother says the children were alone for two evenings last week while she worked late"
    ops = [
        {
            "op_id": uuid.uuid4().hex,
            "meeting_id": meeting.id,
            "type": "add_item",
            "payload": {
                "section": sections[n % len(sections)],
                "text": f"{text} ({n}).",
                "view": "agency",
            },
        }
        for n in range(items)
    ]
    for start in range(0, items, 50):
        for outcome in board.apply_operations([(writer, raw) for raw in ops[start : start + 50]]):
            if isinstance(outcome, BaseException):
                raise outcome
    return int(meeting.id)


def guests(spec: dict[str, Any], app: Any) -> dict[str, Any]:
    """Fallback join: add guests as the join page would, and sign their session cookies."""
    serializer = app.session_interface.get_signing_serializer(app)
    out = []
    for entry in spec["meetings"]:
        meeting = db.session.get(Meeting, entry["id"])
        invite = meetings.current_invite(meeting)
        cookies = []
        for number in range(entry["guests"]):
            participant = meetings.join_as_guest(invite, f"Guest {number + 1}")
            cookies.append(serializer.dumps({GUEST_SESSION_KEY: participant.id}))
        out.append({"id": meeting.id, "cookies": cookies})
    return {"cookie_name": app.config.get("SESSION_COOKIE_NAME", "session"), "meetings": out}


def check(
    acked: list[str], exclude: int | None = None, only: list[int] | None = None
) -> dict[str, Any]:
    """Compare the event log (except meeting `exclude`'s; or only the meetings `only`)
    with the acknowledged op_ids."""
    where = MeetingEvent.meeting_id != exclude if exclude is not None else true()
    if only is not None:
        where = MeetingEvent.meeting_id.in_(only)
    rows = db.session.scalar(select(func.count(MeetingEvent.id)).where(where)) or 0
    distinct = (
        db.session.scalar(select(func.count(func.distinct(MeetingEvent.op_id))).where(where)) or 0
    )
    stored = set(db.session.scalars(select(MeetingEvent.op_id).where(where)))
    wanted = set(acked)
    revs = {}
    if only is not None:
        found = db.session.execute(select(Meeting.id, Meeting.rev).where(Meeting.id.in_(only)))
        revs = {str(meeting_id): rev for meeting_id, rev in found}
    return {
        **({"revs": revs} if only is not None else {}),
        "rows": rows,
        "distinct_op_ids": distinct,
        "duplicate_op_ids": rows - distinct,
        "acked": len(acked),
        "acked_distinct": len(wanted),
        "acked_missing": len(wanted - stored),
        "unacked_stored": len(stored - wanted),
        "invites": db.session.scalar(select(func.count(GuestInvite.id))) or 0,
    }


def main(argv: list[str]) -> int:
    app = create_app()
    with app.app_context():
        if argv[:1] == ["seed"] and len(argv) in (2, 3):
            result = seed(int(argv[1]), int(argv[2]) if len(argv) == 3 else 0)
        elif argv[:1] == ["guests"] and len(argv) == 2:
            result = guests(json.loads(Path(argv[1]).read_text()), app)
        elif argv[:1] == ["check"] and len(argv) in (2, 3):
            exclude = int(argv[2]) if len(argv) == 3 else None
            acked = json.loads(Path(argv[1]).read_text())
            if isinstance(acked, dict):
                result = check(acked["acked"], exclude, acked["meetings"])
            else:
                result = check(acked, exclude)
        else:
            print(__doc__, file=sys.stderr)
            return 2
        db.session.remove()
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

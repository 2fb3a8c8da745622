"""Time and peak memory to export a 300-item case to PDF and DOCX (a script, not a test).

    python bench/export.py [ITEMS] [RUNS]

Builds one meeting with ITEMS items (default 300) spread over the CISF sections, a
revealed scale round, and next steps, in a throwaway SQLite database; then renders each
format RUNS times (default 3). Prints JSON: seconds per run (gather, PDF, DOCX) and the
peak Python heap (tracemalloc) and the process's peak resident size.
"""

from __future__ import annotations

import json
import resource
import sys
import tempfile
import time
import tracemalloc
import warnings
from pathlib import Path
from typing import Any

warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import logging  # noqa: E402

from facilitator import create_app  # noqa: E402
from facilitator.domain.frameworks import CISF  # noqa: E402
from facilitator.exports import docx_export, pdf, summary  # noqa: E402
from facilitator.extensions import db  # noqa: E402
from facilitator.identity import staff_actor  # noqa: E402
from facilitator.models import Item, Rating, ScaleRound, Team, TeamMember, User  # noqa: E402
from facilitator.models.types import utcnow  # noqa: E402
from facilitator.services import cases, meetings  # noqa: E402
from facilitator.services.exports import meeting_source  # noqa: E402

SENTENCE = "Mother says the children were alone for two evenings last week while she worked late"


def seed(items: int) -> int:
    """One meeting with this many items; returns its id."""
    team = Team(name="Bench team")
    user = User(email="bench@example.org", display_name="Bench Supervisor", password_hash="x",
                role="supervisor")  # fmt: skip
    db.session.add_all([team, user, TeamMember(team=team, user=user)])
    db.session.commit()
    actor = staff_actor(user)
    meeting = meetings.start_meeting(actor, cases.create_case(actor, team, "B.X. (7)"),
                                     "group_supervision", "cisf")  # fmt: skip
    author = meeting.participants[0].id
    sections = CISF.section_keys
    for n in range(items):
        section = sections[n % len(sections)]
        step = section == "next_steps"
        db.session.add(Item(
            meeting_id=meeting.id, section=section, position=f"a{n:05d}", author_id=author,
            text=f"{SENTENCE} ({n}).", owner="M.L." if step else None,
            status="proposed" if step else None,
        ))  # fmt: skip
    scale = ScaleRound(meeting_id=meeting.id, status="revealed", revealed_at=utcnow())
    db.session.add(scale)
    db.session.flush()
    db.session.add(Rating(round_id=scale.id, participant_id=author, value=5, reason="Bench."))
    db.session.commit()
    return meeting.id


def measure(label: str, work: Any, runs: int) -> dict[str, Any]:
    """Time RUNS plain runs, then one more under tracemalloc (which slows it) for the peak."""
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        result = work()
        seconds.append(round(time.perf_counter() - started, 3))
    tracemalloc.start()
    work()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    size = len(result) if isinstance(result, bytes | str) else None
    return {"format": label, "seconds": seconds, "peak_heap_mb": round(peak / 2**20, 1),
            "bytes": size}  # fmt: skip


def main(items: int = 300, runs: int = 3) -> None:
    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.sqlite3",
                          "SECRET_KEY": "bench", "ASYNC_MODE": "threading", "SERVER_ID": "bench",
                          "MESSAGE_QUEUE": None})  # fmt: skip
        with app.app_context():
            logging.getLogger("weasyprint").setLevel(logging.WARNING)
            db.create_all()
            meeting_id = seed(items)
            from facilitator.models import Meeting

            meeting = db.session.get(Meeting, meeting_id)
            gather = lambda: summary.build(meeting_source(meeting))  # noqa: E731
            model = gather()
            pdf.render(model)  # warm up: WeasyPrint's import and font loading
            results = [
                measure("gather", gather, runs),
                measure("pdf", lambda: pdf.render(model), runs),
                measure("docx", lambda: docx_export.render(model), runs),
            ]
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"items": items, "results": results, "peak_rss_mb": round(rss, 1)}, indent=1))


if __name__ == "__main__":
    main(*(int(arg) for arg in sys.argv[1:3]))

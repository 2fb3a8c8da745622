"""The cost of one board operation in the app, without sockets: time and SQL per phase.

    .venv/bin/python bench/opcost.py                      # 2,000 ops on embedded SQLite
    .venv/bin/python bench/opcost.py --synchronous NORMAL # what-if: the WAL's lighter sync
    .venv/bin/python bench/opcost.py --database-url postgresql+psycopg2://postgres@127.0.0.1/test
    .venv/bin/python bench/opcost.py --batch 8 --statements  # as the writer batches; SQL by kind

Runs the socket handler's steps in a loop, in one process, on a fresh SQLite file in a
temporary folder: identity.connection_actor (what every event re-checks), then
board.apply_operation (validate, claim a revision, apply, log the event, commit), then
the JSON encoding an emit does, then closing the session. Ten guests of one meeting take
turns with the op mix of bench/load.py (half adds, edits and moves of their own items).
CPU time is the process's, so other load on the machine does not inflate it much.
"""

from __future__ import annotations

import argparse
import atexit
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
import uuid
import warnings
from collections import defaultdict
from pathlib import Path
from typing import Any

warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SECTIONS = ["reason", "harm", "danger", "complicating", "strengths", "safety", "goals", "grey"]
FILLER = "The school says attendance has been steady for three weeks and lunches come from home."


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ops", type=int, default=2000)
    parser.add_argument("--guests", type=int, default=10)
    parser.add_argument(
        "--synchronous",
        choices=("FULL", "NORMAL", "OFF"),
        help="override the app's PRAGMA synchronous (measurement only)",
    )
    parser.add_argument(
        "--database-url",
        help="run on this database instead (PostgreSQL: its tables are dropped and made anew)",
    )
    parser.add_argument(
        "--batch", type=int, default=1, help="operations per transaction, as the writer's batch"
    )
    parser.add_argument(
        "--statements", action="store_true", help="list the SQL statements per op, by kind"
    )
    args = parser.parse_args()

    instance = Path(tempfile.mkdtemp(prefix="facilitator-opcost-"))
    atexit.register(shutil.rmtree, instance, ignore_errors=True)
    os.environ["FACILITATOR_INSTANCE"] = str(instance)
    os.environ["FACILITATOR_ASYNC_MODE"] = "threading"
    os.environ.pop("FACILITATOR_DATABASE_URL", None)
    if args.database_url:
        os.environ["FACILITATOR_DATABASE_URL"] = args.database_url

    from sqlalchemy import event, text

    from facilitator import create_app
    from facilitator.extensions import db
    from facilitator.identity import connection_actor, staff_actor
    from facilitator.services import accounts, board, cases, meetings, presence

    app = create_app()
    statements = [0]
    kinds_of_sql: dict[str, int] = defaultdict(int)
    with app.app_context():
        if args.database_url:
            db.drop_all()
        db.create_all()
        if args.synchronous:
            event.listen(
                db.engine,
                "connect",
                lambda conn, _r: conn.execute(f"PRAGMA synchronous={args.synchronous}"),
            )
            db.engine.dispose()

        def count(_conn: Any, _cursor: Any, statement: str, *_a: Any, **_k: Any) -> None:
            statements[0] += 1
            if counting[0]:
                kinds_of_sql[_kind_of(statement)] += 1

        counting = [False]
        event.listen(db.engine, "before_cursor_execute", count)
        team = accounts.create_team("Opcost team")
        user = accounts.create_user("opcost@example.org", "Op Cost", "x" * 20, "supervisor")
        accounts.add_member(team, user)
        actor = staff_actor(user)
        case = cases.create_case(actor, team, "O.C. (bench)", confirmed=True)
        meeting = meetings.start_meeting(actor, case, "group_supervision", "cisf")
        invite, _ = meetings.create_invite(actor, meeting, waiting_room=False)
        sids = []
        for number in range(args.guests):
            guest = meetings.join_as_guest(invite, f"Guest {number}")
            sid = f"sid-{number}"
            presence.connect(sid, "opcost", connection_actor_stub(guest), meeting, False, sid)
            sids.append(sid)
        meeting_id = meeting.id
        dialect = db.engine.dialect.name
        sync_level = (
            db.session.execute(text("PRAGMA synchronous")).scalar() if dialect == "sqlite" else None
        )
        db.session.remove()

    rng = random.Random(1)
    items: list[dict[int, dict[str, Any]]] = [{} for _ in sids]
    phases: dict[str, list[tuple[float, float, int]]] = defaultdict(list)
    kinds: dict[str, int] = defaultdict(int)

    def timed(name: str, func: Any, *a: Any) -> Any:
        w0, c0, s0 = time.perf_counter(), time.process_time(), statements[0]
        result = func(*a)
        phases[name].append(
            (time.perf_counter() - w0, time.process_time() - c0, statements[0] - s0)
        )
        return result

    def next_op(n: int) -> tuple[int, str, dict[str, Any]]:
        who = n % len(sids)
        mine = items[who]
        roll = rng.random()
        text = f"Note {n} from participant {who}. {FILLER}"
        if not mine or roll < 0.5:
            kind = "add_item"
            payload: dict[str, Any] = {
                "section": rng.choice(SECTIONS),
                "text": text,
                "view": "agency",
            }
        elif roll < 0.8:
            kind = "edit_item"
            item_id = rng.choice(list(mine))
            payload = {
                "item_id": item_id,
                "text": "Edited: " + text,
                "base_version": mine[item_id]["version"],
            }
        else:
            kind = "move_item"
            item_id = rng.choice(list(mine))
            payload = {"item_id": item_id, "section": rng.choice(SECTIONS), "after_id": None}
        raw = {
            "op_id": uuid.uuid4().hex,
            "meeting_id": meeting_id,
            "type": kind,
            "payload": payload,
        }
        return who, kind, raw

    with app.app_context():
        counting[0] = True
        for first in range(0, args.ops, args.batch):
            # one batch: each guest at most once (--batch <= --guests), as a writer's batch
            ops = [next_op(n) for n in range(first, min(first + args.batch, args.ops))]
            w0, c0, s0 = time.perf_counter(), time.process_time(), statements[0]
            actors = [timed("connection_actor", connection_actor, sids[who]) for who, _k, _r in ops]
            results = timed(
                "apply_operations",
                board.apply_operations,
                [(actor, raw) for actor, (_w, _k, raw) in zip(actors, ops, strict=True)],
            )
            for result in results:
                if isinstance(result, Exception):
                    raise result
                timed("encode event", json.dumps, result.event)
            timed("session.remove", db.session.remove)
            phases["whole batch"].append(
                (time.perf_counter() - w0, time.process_time() - c0, statements[0] - s0)
            )
            for (who, kind, _raw), result in zip(ops, results, strict=True):
                kinds[kind] += 1
                item = result.event.get("item")
                if item:
                    items[who][item["id"]] = {"version": item["version"]}

    per_op = args.batch
    where = f"SQLite PRAGMA synchronous={sync_level} (1 NORMAL, 2 FULL)" if sync_level else dialect
    print(
        f"{args.ops} ops by {args.guests} guests of one meeting ({dict(kinds)}), "
        f"{args.batch} per transaction; {where}"
    )
    print(f"{'phase':20}{'wall ms/op':>12}{'p99 wall':>10}{'CPU ms/op':>11}{'SQL/op':>8}")
    for name, calls_per_op in (
        ("connection_actor", 1),
        ("apply_operations", per_op),
        ("encode event", 1),
        ("session.remove", per_op),
        ("whole batch", per_op),
    ):
        rows = phases[name]
        walls = sorted(r[0] for r in rows)
        print(
            f"{name:20}{1000 * statistics.fmean(walls) / calls_per_op:12.2f}"
            f"{1000 * walls[int(0.99 * (len(walls) - 1))] / calls_per_op:10.2f}"
            f"{1000 * statistics.fmean(r[1] for r in rows) / calls_per_op:11.2f}"
            f"{statistics.fmean(r[2] for r in rows) / calls_per_op:8.2f}"
        )
    whole = statistics.fmean(r[0] for r in phases["whole batch"]) / per_op
    print(f"=> at most {1 / whole:,.0f} ops/s on one eventlet hub, before any socket work")
    if args.statements:
        print("SQL statements per op, by kind:")
        for kind, number in sorted(kinds_of_sql.items(), key=lambda pair: -pair[1]):
            print(f"  {number / args.ops:6.2f}  {kind}")


def _kind_of(statement: str) -> str:
    """A statement's verb and table (or its first words), to count them by kind."""
    words = statement.split()
    verb = words[0].upper() if words else "?"
    if verb == "UPDATE" and len(words) > 1:
        return f"UPDATE {words[1]}"
    for keyword in ("INTO", "FROM"):
        if keyword in words and words.index(keyword) + 1 < len(words):
            return f"{verb} {words[words.index(keyword) + 1].strip('(')}"
    return " ".join(words[:3])


def connection_actor_stub(participant: Any) -> Any:
    from facilitator.identity import guest_actor

    return guest_actor(participant)


if __name__ == "__main__":
    main()

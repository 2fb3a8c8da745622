"""S9: SQL injection strings in every parameter change nothing and break nothing, and no
SQL in the code is built from strings.

Every registered route gets the strings in its path parameters, its query string and its
form fields; every socket event gets them in every field of its payload. The answers are
the ordinary ones (a page, a redirect, 400/401/404, a validation message or an error ack),
never a 500, and the database is the same afterwards (but for what the request is for,
when it is allowed: a search, a case whose label is the string ...).
"""

from __future__ import annotations

import ast
import hashlib
from pathlib import Path
from typing import Any

import pytest
from builders import add_op, new_op_id, op, rev_of
from naughty import sql
from sqlalchemy import select
from test_access_matrix import MATRIX, path_values, url_of

from facilitator.extensions import db
from facilitator.models import Item
from facilitator.services.ops.types import OP_TYPES

ROOT = Path(__file__).resolve().parents[2]

# Tables a request may rightly write to while refusing or answering the string: the audit
# trail (views, searches, sign-in failures), presence (sockets), the failed sign-in
# counters of the throttle, and a session's last-seen time (touched once a minute by any
# request: a long run on a slow machine crosses that minute in the middle of a route).
VOLATILE = {"audit_entries", "presence", "access_epoch", "sign_in_failures", "auth_sessions"}


def fingerprint() -> str:
    digest = hashlib.sha256()
    for table in db.metadata.sorted_tables:
        if table.name in VOLATILE:
            continue
        rows = db.session.execute(select(table).order_by(*table.primary_key.columns)).all()
        digest.update(f"{table.name}:{rows!r}".encode())
    db.session.rollback()
    return digest.hexdigest()


# Routes whose job is to write what they are sent: their rows may change (and must then
# hold the string as text, checked below); everything else must change nothing.
WRITERS = {
    ("auth.login", "POST"),  # failed sign-in counters may move
    ("cases.new", "POST"),
    ("meetings.start", "POST"),
    ("meetings.invite", "POST"),
    ("display_links.create", "POST"),  # a display link (its hash, an audit entry)
    ("display_links.end", "POST"),  # ends the links (the audit entry)
    ("exports.import_case", "POST"),
    ("join.name", "POST"),
    ("admin.create_user", "POST"),
    ("admin.create_team", "POST"),
    ("admin.add_member", "POST"),
    ("admin.remove_member", "POST"),
    ("admin.save_texts", "POST"),
    ("auth.logout", "POST"),
    ("admin.disable_user", "POST"),
    ("admin.enable_user", "POST"),
    ("admin.change_role", "POST"),
    ("admin.end_sessions", "POST"),
    ("account.enrol", "GET"),  # makes the secret being enrolled, once
    ("cases.close", "POST"),  # record keeping: what they change is the point
    ("cases.reopen", "POST"),
    ("cases.hold", "POST"),
    ("cases.keep_for", "POST"),
    ("admin.purge", "POST"),
    ("framework_admin.new", "POST"),
    ("framework_admin.edit", "POST"),
    ("language.choose", "POST"),  # a known language code only; anything else is refused
    ("language.choose_for_display", "POST"),
}


# Routes whose first ordinary use changes the database whatever it is sent (the enrolment
# page makes the secret being enrolled; a withdrawal withdraws the scene's invite): that
# use comes first, as in a real session, so that what the strings change is seen alone.
FIRST_USE = {("account.enrol", "POST"): "GET", ("meetings.withdraw_invite", "POST"): "POST"}


@pytest.fixture
def admin(app, scene, staff_client):
    return staff_client(scene.admin)


def _urls(app: Any, endpoint: str, scene: Any, injection: str) -> list[str]:
    """The route with the string in its query and, where the route takes a string
    parameter, in the path; integer parameters refuse it at routing (a 404)."""
    base = url_of(app, endpoint, scene)
    separator = "&" if "?" in base else "?"
    from urllib.parse import quote

    quoted = quote(injection, safe="")
    urls = [f"{base}{separator}q={quoted}&a={quoted}&b={quoted}&rev={quoted}&names={quoted}"]
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    values = path_values(scene)
    for name in rule.arguments:
        urls.append(base.replace(f"/{values[name]}", f"/{quoted}", 1))
    return urls


@pytest.mark.parametrize(("endpoint", "method"), sorted(MATRIX))
def test_every_route_answers_sql_strings_normally_and_changes_nothing(
    app, scene, admin, endpoint, method
):
    """One route per test (test_every_route_is_in_the_matrix: MATRIX is every route)."""
    strings = sql()
    assert len(strings) >= 15
    wrong: list[str] = []
    form_fields = MATRIX[(endpoint, method)][0]
    if (endpoint, method) in FIRST_USE:
        admin.open(url_of(app, endpoint, scene), method=FIRST_USE[(endpoint, method)])
    for injection in strings:
        data = dict.fromkeys([*form_fields, "q", "code", "display_name", "label"], injection)
        for url in _urls(app, endpoint, scene, injection):
            with app.app_context():
                before = fingerprint()
            answer = admin.open(url, method=method, data=data)
            if answer.status_code >= 500:
                wrong.append(f"{method} {url}: {answer.status_code}")
            with app.app_context():
                if (endpoint, method) not in WRITERS and fingerprint() != before:
                    wrong.append(f"{method} {url}: changed the database")
    assert not wrong, "\n".join(wrong[:30])


def test_sql_strings_are_stored_and_found_as_plain_text(app, scene, staff_client):
    """Where the string is meant to be kept (a case label, a search), it is kept verbatim."""
    from facilitator.models import Case

    worker = staff_client(scene.worker)
    for injection in sql():
        label = injection[:60]
        answer = worker.post("/cases/new", data={"team_id": scene.team_id, "label": label})
        assert answer.status_code in (200, 302), injection
        found = worker.post("/search", data={"q": injection})
        assert found.status_code == 200
    with app.app_context():
        labels = set(db.session.scalars(select(Case.label)))
    assert {s[:60].strip() for s in sql() if s[:60].strip()} <= labels


# --- sockets ------------------------------------------------------------------------------


@pytest.fixture
def socket(scene, staff_client, open_socket):
    return open_socket(staff_client(scene.supervisor), scene.meeting_id)


def _injected(value: Any, injection: str) -> list[Any]:
    """Copies of a payload with the string in each of its fields in turn."""
    if not isinstance(value, dict):
        return []
    copies = []
    for key, inner in value.items():
        copies.append({**value, key: injection})
        copies += [{**value, key: deeper} for deeper in _injected(inner, injection)]
    return copies


# One test per socket event and op type, each on a board with its own live item.
SOCKET_EVENTS = [*sorted(OP_TYPES), "sync", "editing"]


def _sample(kind: str, meeting_id: int, item_id: int) -> tuple[str, dict[str, Any]]:
    """The event and a valid payload for this op type (or socket event)."""
    if kind in OP_TYPES:
        return "op", op(meeting_id, kind, item_id=item_id, section="harm", text="x")
    others = {
        "sync": {"meeting_id": meeting_id, "since_rev": 0},
        "editing": {"meeting_id": meeting_id, "item_id": item_id},
    }
    return kind, others[kind]


@pytest.mark.parametrize("kind", SOCKET_EVENTS)
def test_every_socket_field_takes_sql_strings_without_error_or_change(
    app, scene, staff_client, open_socket, kind
):
    # hundreds of events from one socket: the rate limit has its own tests (the limits are
    # read when the app's first socket connects)
    app.config.update(SOCKET_RATE=1e6, SOCKET_BURST=10**6)
    socket = open_socket(staff_client(scene.supervisor), scene.meeting_id)
    ack = socket.emit("op", add_op(scene.meeting_id), callback=True)
    event, sample = _sample(kind, scene.meeting_id, ack["event"]["item"]["id"])
    wrong = []
    accepted, kept = 0, set()
    with app.app_context():
        rev = rev_of(scene.meeting_id)
    for injection in sql():
        for message in _injected(sample, injection):
            if event == "op" and message.get("op_id") != injection:
                message = {**message, "op_id": new_op_id()}  # each a new operation
            answer = socket.emit(event, message, callback=True)
            if not isinstance(answer, dict) or answer.get("error", {}).get("code") == (
                "server_error"
            ):
                wrong.append(f"{event} {message}: {answer}")
            elif answer.get("ok") and event == "op":
                # a text field took the string: it must be stored as typed, nothing more
                accepted += 1
                texts = [v for v in message["payload"].values() if v == injection]
                if message["type"] == "add_item" and message["payload"].get("text") == injection:
                    kept.add(injection)
                if not texts:
                    wrong.append(f"{event} {message}: accepted a non-text field")
    assert socket.is_connected()
    with app.app_context():
        # one revision per accepted op, and none for anything refused
        assert rev_of(scene.meeting_id) == rev + accepted
        stored = set(db.session.scalars(select(Item.text)))
    if kind == "add_item":
        assert kept and kept <= stored  # stored exactly as sent
    assert not wrong, "\n".join(wrong[:20])


# --- no SQL built from strings -------------------------------------------------------------

SQL_CALLS = {"text", "execute", "exec_driver_sql", "executescript", "executemany"}
SQL_CALLS |= {"literal_column", "from_statement"}


def _built_from_strings(node: ast.expr) -> bool:
    """An f-string, % or + on strings, str.format or str.join: text assembled at run time."""
    if isinstance(node, ast.JoinedStr):
        return any(isinstance(part, ast.FormattedValue) for part in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod | ast.Add):
        return True
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return node.func.attr in ("format", "join", "replace")
    return False


def _sqlalchemy_names(tree: ast.Module) -> set[str]:
    """text / literal_column as imported from SQLAlchemy (the app has its own text())."""
    return {
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sqlalchemy")
        for alias in node.names
    }


def sql_built_from_strings(path: Path) -> list[str]:
    found = []
    tree = ast.parse(path.read_text(encoding="utf-8"))
    from_sqlalchemy = _sqlalchemy_names(tree)
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if name not in SQL_CALLS:
            continue
        first = node.args[0]
        textual = name in ("text", "literal_column") and (
            name in from_sqlalchemy
            or (isinstance(func, ast.Attribute) and ast.unparse(func.value) in ("sqlalchemy", "sa"))
        )
        raw_text = textual and not isinstance(first, ast.Constant)
        if raw_text or _built_from_strings(first):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {ast.unparse(node)[:90]}")
    return found


# Constant SQL is fine and needs no entry here; this lists the places that must build a
# statement's text at run time, each with why it is safe. Empty today.
ALLOWED: set[str] = set()


def test_no_sql_is_built_from_strings_in_the_app():
    sources = sorted((ROOT / "facilitator").rglob("*.py")) + sorted(
        (ROOT / "migrations").rglob("*.py")
    )
    found = [hit for path in sources for hit in sql_built_from_strings(path)]
    assert [hit for hit in found if hit.split(": ", 1)[0] not in ALLOWED] == []


def test_the_sql_grep_catches_what_it_is_for(tmp_path):
    sample = ROOT / "facilitator" / "_sql_grep_sample.py"
    lines = [
        "from sqlalchemy import text",
        "db.session.execute(text(f\"SELECT * FROM items WHERE text = '{q}'\"))",
        'connection.exec_driver_sql("DELETE FROM cases WHERE id = " + case_id)',
        'cursor.execute("SELECT %s" % value)',
        'db.session.execute(text("SELECT {}".format(value)))',
        "db.session.execute(text(query))",
        'cursor.execute("PRAGMA foreign_keys=ON")',  # constant: fine
        "db.session.execute(select(Item).where(Item.text == q))",  # bound: fine
    ]
    sample.write_text("\n".join(lines) + "\n", encoding="utf-8")
    try:
        found = sql_built_from_strings(sample)
    finally:
        sample.unlink()
    assert sorted(int(hit.split(":")[1]) for hit in found) == [2, 3, 4, 5, 6]

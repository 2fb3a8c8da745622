"""The socket's edges (S3, S10): who may open a handshake, and the size of every message."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from builders import sign_in

from facilitator.domain.limits import PAYLOAD_MAX_BYTES

ROOT = Path(__file__).resolve().parents[2]
HANDSHAKE = "/socket.io/?EIO=4&transport=polling"


# --- origins ---------------------------------------------------------------------------


def test_a_foreign_origin_is_refused_even_with_a_signed_in_cookie(app, scene):
    client = app.test_client()
    sign_in(client, scene.supervisor.id)  # cross-site WebSocket hijacking: the cookie rides along
    response = client.get(HANDSHAKE, headers={"Origin": "https://evil.example"})
    assert response.status_code == 400
    assert b"Not an accepted origin" in response.data


def test_the_servers_own_origin_is_accepted(app):
    response = app.test_client().get(HANDSHAKE, headers={"Origin": "http://localhost"})
    assert response.status_code == 200


def test_configured_origins_are_accepted_and_others_still_refused(make_app):
    app = make_app(ALLOWED_ORIGINS=["https://board.county.example"])
    client = app.test_client()
    assert (
        client.get(HANDSHAKE, headers={"Origin": "https://board.county.example"}).status_code == 200
    )
    assert client.get(HANDSHAKE, headers={"Origin": "https://evil.example"}).status_code == 400
    # a look-alike is another origin
    lookalike = {"Origin": "https://board.county.example.evil.example"}
    assert client.get(HANDSHAKE, headers=lookalike).status_code == 400


def test_a_handshake_without_credentials_opens_no_meeting(scene, open_socket):
    """No session cookie: the transport may open, the meeting's CONNECT is refused."""
    assert not open_socket(None, scene.meeting_id).is_connected()


def test_no_wildcard_origin_anywhere_in_the_code():
    """No `*` origins: not in the socket's settings, not in CORS headers (a grep)."""
    tracked = subprocess.run(
        ["git", "ls-files", "*.py", "*.js", "*.html", "*.toml", "*.cfg", "*.ini", "*.env*"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout.split()  # fmt: skip
    wildcard = re.compile(
        r"cors_allowed_origins\s*=\s*['\"]\*['\"]"
        r"|Access-Control-Allow-Origin['\"]?\s*[:=,]\s*['\"]?\*"
        r"|ALLOWED_ORIGINS\s*=\s*['\"]?\*"
    )
    found = [
        f"{name}:{number}"
        for name in tracked
        if not name.startswith("static/vendor/")
        and name != "tests/realtime/test_socket_boundaries.py"
        for number, line in enumerate((ROOT / name).read_text(errors="replace").splitlines(), 1)
        if wildcard.search(line)
    ]
    assert found == []


# --- sizes: -1 / exact / +1 for every event ----------------------------------------------


def sized(message: dict, size: int) -> dict:
    """The message padded so the server's own serialisation is exactly `size` bytes."""
    message = {**message, "padding": ""}
    base = len(json.dumps(message, ensure_ascii=False).encode())
    message["padding"] = "y" * (size - base)
    assert len(json.dumps(message, ensure_ascii=False).encode()) == size
    return message


def messages(scene):
    return {
        "op": {
            "op_id": "size-test-0001",
            "meeting_id": scene.meeting_id,
            "type": "add_item",
            "payload": {"section": "harm", "text": "x", "view": "agency"},
        },
        "sync": {"meeting_id": scene.meeting_id, "since_rev": None},
        "editing": {"meeting_id": scene.meeting_id, "item_id": 1},
        "admit_guest": {"meeting_id": scene.meeting_id, "participant_id": 999, "admit": True},
    }


@pytest.mark.parametrize("event", ["op", "sync", "editing", "admit_guest"])
@pytest.mark.parametrize("delta", [-1, 0, 1])
def test_each_event_is_refused_one_byte_over_the_limit_and_answered_up_to_it(
    scene, staff_client, open_socket, event, delta
):
    socket = open_socket(staff_client(scene.supervisor), scene.meeting_id)
    message = sized(messages(scene)[event], PAYLOAD_MAX_BYTES + delta)
    ack = socket.emit(event, message, callback=True)
    code = ack.get("error", {}).get("code")
    if delta > 0:
        assert code == "too_large"
    else:
        assert code != "too_large" and code != "server_error", ack
    assert socket.is_connected()

"""R6 below the events: frames that are not well-formed Socket.IO packets, straight onto a
real server's WebSocket. Each changes nothing, leaves no error in the log, and the same
connection goes on working; well-formed frames read exactly as the library reads them."""

from __future__ import annotations

import json
import secrets

import pytest
import websocket
from hypothesis import given, settings
from hypothesis import strategies as st
from live_server import (
    USER_AGENT,
    Server,
    base_settings,
    meeting_rev,
    running,
    scratch_database,
    seed_meetings,
    sign_in_staff,
)
from naughty import corpus
from socketio import packet

from facilitator.realtime import packets
from facilitator.realtime.packets import (
    IGNORED,
    MALFORMED,
    OP_WITHOUT_ACK,
    TolerantPacket,
    cleaned,
)

GARBAGE = [
    "",  # no packet type at all
    "x",  # not a packet type
    "9",  # no such type
    "0.0",  # CONNECT whose payload reads as an id, then not JSON
    "2",  # EVENT without a payload
    "2{}",  # EVENT whose payload is not a list
    "2[]",  # EVENT without a name
    "2[1]",  # EVENT whose name is not text
    '2["op",',  # cut short
    "2" + "9" * 120,  # an id too long
    "2" + "[" * 5000 + "]" * 5000,  # nested deeper than the JSON reader goes
    "3",  # ACK without a payload
    "3{}",  # ACK whose payload is not a list
    "4",  # CONNECT_ERROR: only servers send it
    '51-["op",{"_placeholder":true,"num":0}]',  # a binary event: this app has none
    '61-[{"_placeholder":true,"num":0}]',  # a binary ack
    "99999999999-[]",  # too many attachments
]
WELL_FORMED = [
    '0{"meeting_id":1,"display":false}',
    "0",
    "1",
    '21["sync",{"meeting_id":1,"since_rev":null}]',
    '2/other,3["op",{}]',
    "3[]",
    '312[{"ok":true}]',
    '2["unknown event"]',
    '23["op",NaN]',  # Python's JSON reads NaN and 1e999: the event handlers refuse them
    '24["op",1e999]',
]


def read(frame: object) -> tuple[object, ...]:
    decoded = TolerantPacket(encoded_packet=frame)
    return decoded.packet_type, decoded.namespace, decoded.id, decoded.data


@pytest.mark.parametrize("frame", GARBAGE)
def test_a_malformed_frame_reads_as_an_event_no_handler_has(frame):
    assert read(frame) == (packet.EVENT, None, None, [IGNORED])


def test_binary_attachments_read_as_nothing():
    assert read(b"\x00\x01") == (packet.EVENT, None, None, [IGNORED])


@pytest.mark.parametrize("frame", WELL_FORMED)
def test_a_well_formed_frame_reads_as_the_library_reads_it(frame):
    library = packet.Packet(encoded_packet=frame) if frame else None
    assert library is not None
    assert read(frame) == (library.packet_type, library.namespace, library.id, library.data)


def test_every_string_of_an_event_arrives_without_control_or_bidi_characters():
    frame = '27["op",{"text\\u0000":"A\\u001bB\\u202eC","parts":["\\u0000x",{"k":"y\\u2066"}]}]'
    assert read(frame)[3] == ["op", {"text": "ABC", "parts": ["x", {"k": "y"}]}]


def test_packets_the_server_sends_encode_as_the_librarys():
    for kind, data, namespace, id in [
        (packet.EVENT, ["event", {"rev": 1}], None, None),
        (packet.ACK, [{"ok": True}], "/", 7),
        (packet.CONNECT, {"sid": "abc"}, None, None),
    ]:
        ours = TolerantPacket(kind, data=data, namespace=namespace, id=id).encode()
        assert ours == packet.Packet(kind, data=data, namespace=namespace, id=id).encode()


frames = st.one_of(
    st.text(max_size=60),
    st.sampled_from(corpus(200)),
    st.builds(lambda kind, rest: f"{kind}{rest}", st.sampled_from("0123456"), st.text(max_size=40)),
    st.builds(lambda kind, value: f"{kind}{json.dumps(value)}", st.sampled_from("0123"),
              st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=8),
                           lambda c: st.lists(c, max_size=3) | st.dictionaries(
                               st.text(max_size=5), c, max_size=3), max_leaves=10)),
)  # fmt: skip


@settings(max_examples=300)
@given(frame=frames)
def test_any_text_frame_reads_as_the_library_reads_it_or_as_nothing(frame):
    """... or, when it asked for an ack, as a malformed frame to answer (issue 17, 14)."""
    ours = read(frame)
    if ours == (packet.EVENT, None, None, [IGNORED]):
        return
    if ours[3] == [MALFORMED]:
        assert ours[0] == packet.EVENT and isinstance(ours[2], int)
        return
    library = packet.Packet(encoded_packet=frame)
    if ours[3] == [OP_WITHOUT_ACK]:
        assert library.id is None and library.data[0] == "op"
        return
    assert ours == (library.packet_type, library.namespace, library.id, cleaned(library.data))
    assert library.packet_type in (packet.CONNECT, packet.DISCONNECT, packet.EVENT, packet.ACK)


# --- on a real server's WebSocket ------------------------------------------------------


@pytest.mark.timeout(120)
def test_malformed_frames_on_the_wire_log_nothing_and_the_socket_goes_on(tmp_path, monkeypatch):
    with scratch_database(tmp_path) as database:
        settings_ = base_settings(database, tmp_path, secrets.token_hex(32))
        seeded = seed_meetings(settings_, monkeypatch)
        meeting_id = seeded.meeting_ids[0]
        server = Server(settings_, tmp_path / "server.log")
        with running(server):
            cookie = sign_in_staff(server.url, seeded.staff_email)
            address = server.url.replace("http://", "ws://")
            wire = websocket.create_connection(
                f"{address}/socket.io/?EIO=4&transport=websocket",
                header=[f"Cookie: {cookie}", f"User-Agent: {USER_AGENT}"],
                origin=server.url,
                timeout=10,
            )
            assert wire.recv().startswith("0{")  # Engine.IO open
            for frame in GARBAGE[:4]:  # before the meeting's CONNECT, too
                wire.send(f"4{frame}")
            wire.send(f'40{{"meeting_id":{meeting_id}}}')
            assert answer(wire, "40").startswith('40{"sid"')
            for frame in GARBAGE:
                wire.send(f"4{frame}")
            wire.send(f'421["sync",{{"meeting_id":{meeting_id},"since_rev":null}}]')
            ack = json.loads(answer(wire, "431")[3:])
            assert ack[0]["ok"] is True and ack[0]["mode"] == "snapshot", ack
            wire.close()
            log = server.log()
        assert meeting_rev(database, meeting_id) == 0
        assert "Traceback" not in log and " ERROR " not in log, log


def answer(wire: websocket.WebSocket, prefix: str) -> str:
    """The next frame that starts with prefix (presence and pings may come first)."""
    while True:
        frame = wire.recv()
        if frame == "2":  # Engine.IO ping
            wire.send("3")
        elif isinstance(frame, str) and frame.startswith(prefix):
            return frame


@given(st.binary(max_size=300), st.tuples(*[st.integers(0, 255)] * 4), st.integers(0, 7))
def test_a_frame_unmasks_as_eventlets_own_byte_by_byte_code_does(data, mask, offset):
    from eventlet.websocket import RFC6455WebSocket

    eventlets = RFC6455WebSocket.__dict__["_apply_mask"].__func__  # wsgi.py alone swaps it
    assert eventlets is not packets.unmask
    assert packets.unmask(data, mask, len(data), offset) == eventlets(data, mask, len(data), offset)
    assert packets.unmask(data, mask) == eventlets(data, mask)
    assert packets.unmask(data, mask, offset=offset) == eventlets(data, mask, offset=offset)

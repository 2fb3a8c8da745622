"""Socket.IO packets as the server reads them off the wire.

python-socketio raises on a frame that is not a well-formed packet (bad JSON, a number
where the payload goes, an event without a name, a binary packet), and Engine.IO logs each
such frame as an error with a traceback: any client could fill the log. Here such a frame
reads as an event of one of the names below, which change nothing on the board:

- MALFORMED: the frame asked for an ack (it carries an ack id): its handler answers
  `invalid` (docs/protocol.md §4).
- IGNORED: it did not: no handler has that name, so it is answered by nothing.
- OP_WITHOUT_ACK: a well-formed `op` that did not ask for an ack: it is never applied, and
  its handler sends the socket an `error` event.

Every frame the browser's client sends reads exactly as before, its strings cleaned of
control and bidi characters (fields.without_unsafe). (The app never sends or accepts binary
payloads.)
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from socketio import packet

from facilitator.domain.fields import without_unsafe

IGNORED = "(not a packet)"  # the name of the event a malformed frame becomes: no handler
MALFORMED = "(malformed)"  # ... one that carries an ack id: answered `invalid`
OP_WITHOUT_ACK = "(op without ack)"  # an `op` that asked for no ack: not applied

# type, then optional "<attachments>-", "/<namespace>," and the ack id (as the library reads
# them, at most 100 digits)
_PREFIX = re.compile(r"[0-6](?:\d{1,10}-)?(/[^,]*,)?(\d{1,100})(?![\d-])")


def cleaned(data: Any) -> Any:
    """Every string of a payload, keys too, as fields.without_unsafe leaves it: one cleaning
    at the edge for whatever a handler stores or queries."""
    if isinstance(data, str):
        return without_unsafe(data)
    if isinstance(data, list):
        return [cleaned(value) for value in data]
    if isinstance(data, dict):
        return {cleaned(key): cleaned(value) for key, value in data.items()}
    return data


class TolerantPacket(packet.Packet):  # type: ignore[misc]
    def __init__(
        self,
        packet_type: int = packet.EVENT,
        data: Any = None,
        namespace: str | None = None,
        id: int | None = None,  # the library's name
        binary: bool | None = None,
        encoded_packet: Any = None,
    ) -> None:
        if encoded_packet is None:  # a packet the server builds to send
            super().__init__(packet_type, data, namespace, id, binary)
            return
        super().__init__()
        self.attachment_count = self.decode(encoded_packet)

    def decode(self, encoded_packet: Any) -> int:
        if not isinstance(encoded_packet, str) or not encoded_packet:
            return self._ignored()
        try:
            attachments = int(super().decode(encoded_packet) or 0)
        except (ValueError, TypeError, RecursionError):  # json's errors are ValueErrors
            return self._malformed(encoded_packet)
        if attachments or self.packet_type not in (
            packet.CONNECT, packet.DISCONNECT, packet.EVENT, packet.ACK
        ):  # fmt: skip
            return self._malformed(encoded_packet)
        if self.packet_type == packet.EVENT and not (
            isinstance(self.data, list) and self.data and isinstance(self.data[0], str)
        ):
            return self._malformed(encoded_packet)
        if self.packet_type == packet.ACK and not isinstance(self.data, list):
            return self._ignored()
        try:
            self.data = cleaned(self.data)
        except RecursionError:
            return self._malformed(encoded_packet)
        if self.packet_type == packet.EVENT and self.id is None and self.data[0] == "op":
            self.data = [OP_WITHOUT_ACK]
        return 0

    def _malformed(self, encoded_packet: str) -> int:
        """An event frame with an ack id gets its answer; anything else reads as nothing."""
        found = _PREFIX.match(encoded_packet)
        if found is None or encoded_packet[0] not in (str(packet.EVENT), str(packet.BINARY_EVENT)):
            return self._ignored()
        namespace = found.group(1)
        self.packet_type, self.id, self.data = packet.EVENT, int(found.group(2)), [MALFORMED]
        self.namespace = namespace[:-1].split("?")[0] if namespace else None
        return 0

    def _ignored(self) -> int:
        self.packet_type, self.namespace, self.id, self.data = packet.EVENT, None, None, [IGNORED]
        return 0


def unmask(data: bytes, mask: Sequence[int], length: int | None = None, offset: int = 0) -> bytes:
    """A websocket frame's bytes XORed with its 4-byte mask, starting `offset` bytes into the
    frame: what eventlet's RFC6455WebSocket._apply_mask does a byte at a time in a Python
    generator (7 % of the server's CPU under the stress load), as one integer XOR. wsgi.py
    puts it in eventlet's place."""
    if length is None:
        length = len(data)
    if length <= 0:
        return b""
    key = bytes(mask[(offset + i) % 4] for i in range(4)) * (length // 4 + 1)
    mixed = int.from_bytes(data[:length], "big") ^ int.from_bytes(key[:length], "big")
    return mixed.to_bytes(length, "big")

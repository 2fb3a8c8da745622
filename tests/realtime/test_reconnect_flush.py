"""A stop asks every socket to reconnect, closes it, and waits until its writer has taken
what it was told (publisher.ask_to_reconnect). engineio's poll() puts the end-of-queue
marker back after taking the last packets, so a closed socket's queue keeps one unfinished
task for good: counting unfinished tasks made every stop wait its full flush limit (2 s
of every restart's downtime, docs/performance.md). Real engineio sockets, drained by
engineio's own poll(), as its websocket writer does."""

from __future__ import annotations

import engineio
from engineio import packet
from engineio.socket import Socket

from facilitator.realtime.publisher import taken


def socket_told_to_reconnect() -> Socket:
    server = engineio.Server(async_mode="threading")
    socket = Socket(server, "sid-1")
    socket.send(packet.Packet(packet.MESSAGE, data='2["closed",{"reason":"server_restarting"}]'))
    socket.close(wait=False)  # a CLOSE packet, then the end-of-queue marker
    return socket


def test_a_closed_socket_whose_writer_took_its_packets_counts_as_sent() -> None:
    socket = socket_told_to_reconnect()
    assert not taken(socket)  # the message and the CLOSE wait for the writer
    packets = socket.poll()  # what the websocket writer does: it sends these next
    assert [p.packet_type for p in packets] == [packet.MESSAGE, packet.CLOSE]
    assert socket.queue.unfinished_tasks == 1  # the marker, put back: never taken
    assert taken(socket)


def test_an_open_socket_counts_as_sent_once_its_writer_took_everything() -> None:
    socket = Socket(engineio.Server(async_mode="threading"), "sid-2")
    socket.send(packet.Packet(packet.MESSAGE, data="one"))
    socket.send(packet.Packet(packet.MESSAGE, data="two"))
    assert not taken(socket)
    assert [p.data for p in socket.poll()] == ["one", "two"]
    assert taken(socket)

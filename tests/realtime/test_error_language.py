"""A refused change is explained in the sender's own language; what people wrote is
passed on exactly as written, whatever language each person reads."""

from builders import add_op, events_named

from facilitator.domain.limits import ITEM_TEXT_MAX


def test_each_sender_reads_the_refusal_in_their_language(
    scene, staff_client, guest_client, open_socket
):
    guest = guest_client(scene.code, "Mamá")
    guest.post("/language", data={"language": "es", "next": "/"})
    in_spanish = open_socket(guest, scene.meeting_id)
    in_english = open_socket(staff_client(scene.supervisor), scene.meeting_id)
    too_long = "x" * (ITEM_TEXT_MAX + 1)
    spanish = in_spanish.emit("op", add_op(scene.meeting_id, too_long), callback=True)
    english = in_english.emit("op", add_op(scene.meeting_id, too_long), callback=True)
    assert spanish["error"]["code"] == english["error"]["code"] == "text_too_long"
    assert spanish["error"]["message"] == (
        f"Las notas pueden tener como máximo {ITEM_TEXT_MAX} caracteres; "
        f"esta tiene {ITEM_TEXT_MAX + 1}."
    )
    assert english["error"]["message"].startswith(f"Items can be at most {ITEM_TEXT_MAX}")
    assert "template" not in spanish["error"]  # the untranslated message stays on the server
    assert spanish["error"]["limit"] == ITEM_TEXT_MAX  # the protocol's details are unchanged


def test_items_reach_everyone_as_written(scene, staff_client, guest_client, open_socket):
    guest = guest_client(scene.code, "Mamá")
    guest.post("/language", data={"language": "es", "next": "/"})
    reader = open_socket(guest, scene.meeting_id)
    writer = open_socket(staff_client(scene.supervisor), scene.meeting_id)
    reader.get_received()
    ack = writer.emit("op", add_op(scene.meeting_id, "Dad drinks at night."), callback=True)
    assert ack["ok"] is True
    added = events_named(reader.get_received(), "event")
    assert [e["item"]["text"] for e in added if e["type"] == "item_added"] == [
        "Dad drinks at night."
    ]

"""A case file people can trust: every export names each person once, as the meeting
named them; initials are unique in the file and never the case label's; the child's own
words are marked as the child's. Read back from the PDF and the DOCX themselves."""

from __future__ import annotations

import io
import re

import docx
import pypdf
from artifacts import ARTIFACTS
from builders import make_case, make_meeting, make_user, op, staff_in

from facilitator.domain.person_labels import Person, labels, reserved
from facilitator.exports import docx_export, markdown, pdf, summary
from facilitator.services.exports import meeting_source


def _flat(text: str) -> str:
    return " ".join(text.split())


def _family_meeting(team, user):
    """The issue's family meeting: case "A.R. (12)", Grandma "Abuela Rosa" and the child
    "Ana" in the room without devices, each rating through the facilitator."""
    case = make_case(team, user, label="A.R. (12)")
    meeting = make_meeting(case, user, kind="family_team", framework="family")
    actor = staff_in(meeting, user)
    from facilitator.services.board import apply_operation

    def apply(kind: str, **payload):
        return apply_operation(actor, op(meeting.id, kind, **payload)).event

    gran = apply("add_room_person", name="Abuela Rosa", view="network")["participant"]["id"]
    child = apply("add_room_person", name="Ana", view="child")["participant"]["id"]
    apply("add_item", section="working_well", text="I like it at Nana's house.", view="child",
          on_behalf_of=child)  # fmt: skip
    scale = apply("open_scale_round")["scale_round"]["id"]
    apply("rate", round_id=scale, value=8, reason="I watch her every day.", on_behalf_of=gran)
    apply("rate", round_id=scale, value=5, reason="Sometimes I am scared.", on_behalf_of=child)
    apply("reveal_scale_round", round_id=scale)
    apply("record_consent", by="Abuela Rosa")  # the child's words may be shown
    return meeting


def _who(text: str, reason: str) -> str:
    """The signature after a rating's reason: '... reason (who)'."""
    found = re.search(re.escape(reason) + r"\s*\(([^()]*)\)", text)
    assert found, reason
    return found.group(1)


def test_the_grandmothers_rating_is_not_signed_with_the_childs_initials(board):
    meeting = _family_meeting(board.team, board.user)
    model = summary.build(meeting_source(meeting))
    data = pdf.render(model)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "export-family-names.pdf").write_bytes(data)  # to look at
    reader = pypdf.PdfReader(io.BytesIO(data))
    text = _flat(" ".join(page.extract_text() for page in reader.pages))
    gran = _who(text, "I watch her every day.")
    child = _who(text, "Sometimes I am scared.")
    assert not gran.startswith(("A.R.", "the child"))  # not the case label
    assert child.startswith("the child, A.")
    assert gran.split(",")[0] != child.split(",")[0]
    assert _who(text, "I like it at Nana's house.").startswith("the child, A.")


def test_no_label_in_the_docx_equals_the_case_label_or_another_persons(board):
    meeting = _family_meeting(board.team, board.user)
    model = summary.build(meeting_source(meeting))
    document = docx.Document(io.BytesIO(docx_export.render(model)))
    text = _flat(" ".join(p.text for p in document.paragraphs))
    signed = [_who(text, reason) for reason in ("I watch her every day.", "Sometimes I am scared.")]
    cells = " ".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    assert _who(_flat(cells), "I like it at Nana's house.").startswith("the child, A.")
    people = [name for group in model["participants"] for name in group["names"]]
    assert len(set(people)) == len(people)
    plain = {label.casefold() for label in reserved("A.R. (12)")}
    for label in [*signed, *people]:
        bare = label.split(", via ")[0].removeprefix("the child, ")
        assert bare.casefold() not in plain, label
    assert [label.split(", via ")[0] for label in signed] == ["Ab.R.", "the child, A."]
    assert all(label.split(", via ")[0] in people for label in signed)


def test_the_childs_item_is_signed_as_the_childs_in_markdown(board):
    meeting = _family_meeting(board.team, board.user)
    model = summary.build(meeting_source(meeting))
    (item,) = [i for i in model["items"] if i["text"].startswith("I like it")]
    assert item["author"].startswith("the child, A.")
    assert "the child, A." in markdown.render(model)


def test_with_full_names_the_meeting_names_them_as_it_did(board):
    meeting = _family_meeting(board.team, board.user)
    model = summary.build(meeting_source(meeting), use_initials=False)
    people = [name for group in model["participants"] for name in group["names"]]
    assert "Abuela Rosa" in people and "the child, Ana" in people


def test_two_workers_with_the_same_initials_get_different_labels(board):
    member = make_user("worker", board.team, name="Sam Worth")
    meeting = make_meeting(make_case(board.team, board.user, label="S.W."), board.user)
    staff_in(meeting, board.user)
    staff_in(meeting, member)
    other = make_user("worker", board.team, name="Sara Wu")
    staff_in(meeting, other)
    model = summary.build(meeting_source(meeting))
    people = [name for group in model["participants"] for name in group["names"]]
    assert len(set(people)) == len(people) == 3
    assert "S.W." not in people


def test_labels_are_unique_and_never_the_case_label():
    people = [
        Person(("participant", 1), "Abuela Rosa"),
        Person(("participant", 2), "Ana", child=True),
        Person(("participant", 3), "Anton"),
        Person(("participant", 4), "A"),
        Person(("involved", 1), "Abuela Rosa"),  # the same grandmother on the list
        Person(("involved", 2), "Grandma", as_written=True),
    ]
    found = labels(people, "A.R. (12)", use_initials=True)
    assert found[("participant", 1)] == "Ab.R."
    assert found[("participant", 2)] == "the child, A."
    assert found[("involved", 1)] == "Ab.R."
    assert found[("involved", 2)] == "Grandma"
    participants = [v for k, v in found.items() if k[0] == "participant"]
    assert len(set(participants)) == len(participants)
    assert not {v.casefold() for v in found.values()} & reserved("A.R. (12)")


def test_initials_written_without_dots_in_the_case_label_are_kept_off_too():
    found = labels([Person(("participant", 1), "Jane Moss")], "JM 4y", use_initials=True)
    assert found[("participant", 1)] == "Ja.M."

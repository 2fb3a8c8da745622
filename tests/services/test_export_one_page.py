"""The "PDF summary (one page)" is one page for an ordinary supervision of up to 40 cards
with realistic long texts (the type shrinks to fit); beyond what fits, page 1 says plainly
that the summary continues: never a silent second page. Page counts read back with pypdf."""

from __future__ import annotations

import io
import shutil
import subprocess

import pypdf
import pytest
from artifacts import ARTIFACTS
from builders import make_user, op, staff_in

from facilitator.exports import pdf, summary
from facilitator.services import board as board_service
from facilitator.services.exports import meeting_source

# What a worker writes on a card in a supervision: a sentence or three, ~150-260 characters.
LONG = [
    "Mother says the bruise on the child's upper arm came from a fall at the park; the "
    "school nurse saw finger-shaped marks and the child told her teacher 'dad grabbed me'.",
    "Father has two DUI arrests this year and drove the children to school on 14 days "
    "after drinking, according to the neighbour and the school's attendance officer.",
    "The family moved three times in eighteen months; the current flat has one bedroom for "
    "five people and the landlord has served a notice to leave by the end of the month.",
    "Grandmother (maternal) lives ten minutes away, picks the children up from school on "
    "weekdays and has kept them overnight whenever mother called her, since last spring.",
    "Mother attends her outpatient programme twice a week and shared three clean tests; "
    "her counsellor says she is engaged and asks for help when she feels overwhelmed.",
    "The older child (12) is the one who calls grandmother when father comes home drunk; "
    "she knows the plan by heart and has done it twice in the last month without prompting.",
    "We do not know yet whether father still lives in the home or only visits; mother's "
    "account changed between the first visit and the safety planning meeting last week.",
    "Book a family network meeting with grandmother, the aunt and the school counsellor to "
    "agree who takes the children on evenings when father has been drinking.",
]
SECTIONS = {  # 40 cards, as an ordinary supervision spreads them
    "reason": 2, "involved": 3, "harm": 5, "danger": 3, "complicating": 6,
    "strengths": 6, "safety": 5, "goals": 3, "next_steps": 4, "grey": 3,
}  # fmt: skip


def _supervision(board, cards: int):
    """A live supervision with `cards` cards of long text, six people listed around the
    child, six in the room, and two revealed scales with a reason from everyone."""
    members = [staff_in(board.meeting, make_user("worker", board.team)) for _ in range(5)]

    def apply(kind, actor=None, **payload):
        raw = op(board.id, kind, **payload)
        return board_service.apply_operation(actor or board.actor, raw).event

    for n, (name, relationship) in enumerate(
        [("M.L.", "mother"), ("J.L.", "father"), ("R.D.", "grandmother"),
         ("T.L.", "child"), ("K.L.", "child"), ("S.P.", "aunt")]
    ):  # fmt: skip
        apply("add_person", name=name, relationship=relationship, age=30 + n, household="Home 1",
              role="family")  # fmt: skip
    added, order = 0, [s for s, count in SECTIONS.items() for _ in range(count)]
    while added < cards:
        section = order[added % len(order)]
        text = f"{LONG[added % len(LONG)]} ({added + 1})"
        apply("add_item", section=section, text=text, view="agency")
        added += 1
    dangers = [i["id"] for i in meeting_source(board.meeting)["items"] if i["section"] == "danger"]
    for about in (None, dangers[0] if dangers else None):
        scale = apply("open_scale_round", danger_item_id=about)["scale_round"]["id"]
        for n, member in enumerate([board.actor, *members]):
            reason = LONG[n % len(LONG)][:140]
            apply("rate", member, round_id=scale, value=3 + n, reason=reason)
        apply("reveal_scale_round", round_id=scale)
    return board.meeting


def _pages(data: bytes) -> tuple[int, str]:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return len(reader.pages), " ".join(" ".join(p.extract_text() for p in reader.pages).split())


def _save(data: bytes, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"{name}.pdf").write_bytes(data)
    if shutil.which("pdftoppm"):
        first_page = ["-f", "1", "-l", "1", "-singlefile"]
        source = str(ARTIFACTS / f"{name}.pdf")
        subprocess.run(["pdftoppm", "-png", "-r", "80", *first_page, source, str(ARTIFACTS / name)],
                       check=True)  # fmt: skip


def test_a_40_card_supervision_fits_on_one_page(board):
    meeting = _supervision(board, 40)
    model = summary.build(meeting_source(meeting))
    data = pdf.render(model)
    _save(data, "export-one-page-40")
    count, text = _pages(data)
    assert count == 1
    assert "(40)" in text and "(1)" in text  # the last card and the first, all of them
    assert "continued" not in text.lower()


def test_a_board_too_big_for_one_page_says_it_continues(board):
    meeting = _supervision(board, 90)
    data = pdf.render(summary.build(meeting_source(meeting)))
    _save(data, "export-one-page-90")
    count, text = _pages(data)
    assert count > 1
    first = pypdf.PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert "Continued on page 2" in " ".join(first.split())
    assert "(90)" in text


@pytest.mark.parametrize("cards", [0, 12])
def test_a_small_board_keeps_the_full_type_size(board, cards):
    meeting = _supervision(board, cards)
    html = pdf.html(summary.build(meeting_source(meeting)), fit=1.0)
    assert "Continued on page" not in html
    count, _ = _pages(pdf.render(summary.build(meeting_source(meeting))))
    assert count == 1

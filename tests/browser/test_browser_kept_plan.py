"""The family keeps its plan: after the meeting closes, a mother reads its action plan on
her phone in Spanish, prints it and saves its PDF; once the facilitator withdraws it, it is
gone; the audit has each reading."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from browser_support import PHONE, join_as_guest, run_ops, sign_in
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

CASE_LABEL = "R.S. (5)"
STEPS = (
    ("Llamar a la enfermera de la escuela", "Mamá", "2026-12-18"),
    ("Visit grandmother on Sundays with the children", "Abuela", None),
)
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
COUNT_PRINTS = "window.__printed = 0; window.print = () => { window.__printed += 1; };"


def _readings(seed, meeting_id: int) -> list[tuple[str, str | None]]:
    from sqlalchemy import select

    from facilitator.models import AuditEntry

    with seed.context():
        rows = seed.db.session.execute(
            select(AuditEntry.action, AuditEntry.actor_role)
            .where(
                AuditEntry.meeting_id == meeting_id,
                AuditEntry.action.in_(("meeting.plan", "meeting.plan_pdf")),
                AuditEntry.participant_id.is_not(None),
                AuditEntry.user_id.is_(None),
            )
            .order_by(AuditEntry.id)
        ).all()
    return [tuple(row) for row in rows]


def test_a_guest_reads_prints_and_saves_the_plan_after_close_until_it_is_withdrawn(browser, seed):
    team = seed.team()
    lead = seed.staff("supervisor", team, name="Ana Lead")
    meeting = seed.meeting(lead, seed.case(lead, team, CASE_LABEL), "family_team", "family")
    added = run_ops(seed, meeting.id, lead, [
        ("add_item", {"section": "next", "text": text, "view": "agency"})
        for text, _owner, _due in STEPS
    ])  # fmt: skip
    first = added[0]["item"]["id"]
    run_ops(seed, meeting.id, lead, [
        ("set_next_step", {"item_id": event["item"]["id"], "owner": owner,
                           **({"due_on": due} if due else {})})
        for event, (_text, owner, due) in zip(added, STEPS, strict=True)
    ] + [("set_next_step_status", {"item_id": first, "status": "agreed"})])  # fmt: skip
    code = seed.invite_code(lead, meeting.id)

    mother = browser.page("mother's phone", **PHONE)
    join_as_guest(mother, code, "María")
    mother.get_by_role("button", name="Español").first.click()
    expect(mother.locator("html")).to_have_attribute("lang", "es")
    run_ops(seed, meeting.id, lead, [("close_meeting", {})])

    # After the close: the plan, in her language, on her phone; nothing of the case.
    mother.add_init_script(COUNT_PRINTS)
    answer = mother.goto(f"/meetings/{meeting.id}/plan")
    assert answer.status == 200
    expect(mother.locator("h1")).to_have_text("Nuestro plan de acción")
    plan = mother.locator(".plan")
    for text, owner, _due in STEPS:
        expect(plan).to_contain_text(text)
        expect(plan).to_contain_text(owner)
    expect(plan).to_contain_text("para el 18 dic 2026")
    expect(plan).to_contain_text("Puede leer este plan aquí hasta el")
    expect(mother.locator("body")).not_to_contain_text(CASE_LABEL)
    expect(mother.get_by_role("link", name="Volver al tablero")).to_have_count(0)
    width = mother.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "no sideways scrolling on the phone"
    shot = browser.screenshot(mother, "kept-plan-phone-es", full_page=True)
    SCREENSHOTS.mkdir(exist_ok=True)
    shutil.copyfile(shot, SCREENSHOTS / "kept-plan-after-close-phone-es.png")

    # Print: the button opens the print dialog; on paper only the plan is left.
    mother.get_by_role("button", name="Imprimir").click()
    assert mother.evaluate("window.__printed") == 1
    mother.emulate_media(media="print")
    expect(mother.locator(".plan-actions")).to_be_hidden()
    expect(mother.locator(".language-switch")).to_be_hidden()
    expect(plan).to_contain_text(STEPS[0][0])
    browser.screenshot(mother, "kept-plan-printed-es", full_page=True)
    mother.emulate_media(media="screen")

    # Save as PDF: a one-page file named without the case.
    with mother.expect_download() as download:
        mother.get_by_role("link", name="Guardar como PDF").click()
    saved = download.value
    assert saved.suggested_filename == "action-plan.pdf"
    assert Path(saved.path()).read_bytes().startswith(b"%PDF")

    # The facilitator withdraws it from the closed meeting's page.
    staff = browser.page("facilitator", viewport={"width": 1280, "height": 720})
    sign_in(staff, lead)
    staff.goto(f"/meetings/{meeting.id}")
    expect(staff.locator(".plan-withdraw")).to_contain_text("Guests can read the plan until")
    browser.screenshot(staff, "kept-plan-withdraw-control")
    staff.get_by_role("button", name="Withdraw the plan from guests").click()
    expect(staff.locator(".flash")).to_contain_text("The plan is withdrawn")

    browser.expect_problem(mother, rf"^HTTP 410: http://[^/]+/meetings/{meeting.id}/plan$")
    browser.expect_problem(mother, rf"410.*/meetings/{meeting.id}/plan\)$")
    gone = mother.goto(f"/meetings/{meeting.id}/plan")
    assert gone.status == 410
    expect(mother.locator("h1")).to_have_text("Esto ya no está aquí")
    expect(mother.locator("body")).not_to_contain_text(STEPS[0][0])
    browser.screenshot(mother, "kept-plan-withdrawn-es")

    # The audit has each reading: the page once, the PDF once, and not the refusal.
    assert _readings(seed, meeting.id) == [("meeting.plan", "guest"), ("meeting.plan_pdf", "guest")]

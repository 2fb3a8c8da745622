"""A guest reads the whole meeting in Spanish on a small phone: the join screens, the
waiting room, the board in each step the facilitator leads and the action plan, while the
facilitator works in English on the same meeting. Whatever the guest can see or hear
(text, labels, titles) holds no English UI string: every catalog msgid whose Spanish
differs is looked for."""

from __future__ import annotations

import re
from typing import Any

import pytest
from browser_support import (
    add_form,
    add_item,
    card,
    open_board,
    open_display,
    page_scrolls_sideways,
    sign_in,
    wait_connected,
)
from english import english_in, english_ui_strings
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

SMALL_PHONE = {
    "viewport": {"width": 320, "height": 640},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}

# What a person can see or have read to them: visible text, and the labels, titles,
# placeholders and alternative texts of everything on the page.
_SEEN = """() => {
  const parts = [document.body.innerText, document.title];
  for (const element of document.querySelectorAll('[aria-label],[title],[placeholder],[alt]')) {
    for (const name of ['aria-label', 'title', 'placeholder', 'alt']) {
      const value = element.getAttribute(name);
      if (value) parts.push(value);
    }
  }
  return parts.join('\\n');
}"""


ENGLISH = english_ui_strings("es")


def english_on(page: Any) -> list[str]:
    return english_in(page.evaluate(_SEEN), ENGLISH)


def assert_spanish(page: Any, where: str) -> None:
    expect(page.locator("html")).to_have_attribute("lang", "es")
    found = english_on(page)
    assert not found, f"English on the guest's {where}: {found[:10]}"


def test_the_english_finder_finds_english():
    """The check would fail on an English page (so its silence means something)."""
    assert english_in("Join a meeting\nMeeting code\nContinue", ENGLISH)
    assert not english_in("Unirse a una reunión\nCódigo de la reunión\nContinuar", ENGLISH)


def test_a_guest_takes_part_in_spanish_on_a_small_phone(browser, seed):
    team = seed.team()
    lead = seed.staff("supervisor", team, name="Lupe Ramírez")
    meeting = seed.meeting(lead, seed.case(lead, team, "T.R. (3)"), "family_team", "family")
    code = seed.invite_code(lead, meeting.id, waiting_room=True)
    staff = browser.page("facilitator")
    sign_in(staff, lead)
    open_board(staff, meeting.id)

    # The join screen: "Español" switches in place; the typed code stays.
    guest = browser.page("guest phone", **SMALL_PHONE)
    guest.goto("/join")
    expect(guest.locator("html")).to_have_attribute("lang", "en")
    guest.get_by_label("Meeting code").fill(code)
    guest.get_by_role("button", name="Español").click()
    expect(guest.get_by_label("Código de la reunión")).to_have_value(code)
    expect(guest.get_by_role("button", name="Español")).to_have_attribute("aria-pressed", "true")
    assert_spanish(guest, "join screen")
    browser.screenshot(guest, "es-01-join")
    guest.get_by_role("button", name="Continuar").click()
    guest.wait_for_url("**/join/name")
    assert_spanish(guest, "name screen")
    guest.get_by_label("Su nombre").fill("Mamá")
    guest.get_by_label("Madre, padre o cuidador/a").check()  # who she is: her view
    guest.get_by_role("button", name="Unirse a la reunión").click()

    # The waiting room, then in by the (English-speaking) facilitator's hand.
    guest.wait_for_url("**/join/wait")
    expect(guest.get_by_role("heading", level=1)).to_have_text("Está en la sala de espera")
    assert_spanish(guest, "waiting room")
    browser.screenshot(guest, "es-02-waiting-room")
    staff.locator("#waiting").get_by_role("button", name="Let in: Mamá", exact=True).click()
    guest.wait_for_url(re.compile(rf"/meetings/{meeting.id}$"))
    wait_connected(guest)
    expect(guest.locator("#status")).to_have_text("Todos los cambios guardados")
    assert_spanish(guest, "board")

    # What the guest writes stays as written, for everyone; the facilitator stays English.
    worry = "Me preocupa que T. se asuste cuando discutimos de noche."
    box = add_form(guest, "worries")
    box.locator("textarea").fill(worry)
    box.get_by_role("button", name="Agregar").click()
    expect(card(guest, worry, "worries")).to_have_count(1)
    expect(card(staff, worry, "worries")).to_have_count(1)
    expect(staff.locator("html")).to_have_attribute("lang", "en")
    expect(card(staff, worry).locator(".item-view")).to_have_text("Parent view")
    expect(card(guest, worry).locator(".item-view")).to_have_text("Punto de vista: Madre o padre")

    # Every step of the family meeting's agenda, as the guest sees it.
    staff.get_by_role("button", name="Start").click()
    expect(staff.locator("[data-step-label]")).to_have_text(re.compile(r"^Step 1 of \d+$"))
    total = int(re.search(r"of (\d+)", staff.locator("[data-step-label]").text_content()).group(1))
    for number in range(1, total + 1):
        expect(guest.locator("[data-step-label]")).to_have_text(f"Paso {number} de {total}")
        assert_spanish(guest, f"board at step {number}")
        browser.screenshot(guest, f"es-03-board-step-{number}")
        if number < total:
            staff.get_by_role("button", name="Next step", exact=True).click()
    assert not page_scrolls_sideways(guest), "the Spanish board scrolls sideways at 320 px"
    browser.screenshot(guest, "es-04-board-320px-full", full_page=True)

    # A safety scale: the guest rates and sees the reveal in Spanish, numbers as Spanish
    # writes them.
    staff.locator("#scale").get_by_role("button", name="Open safety scale").click()
    mine = guest.locator("#scale")
    expect(mine).to_contain_text("La calificación está abierta")
    assert_spanish(guest, "open scale")
    mine.locator('input[name="value"][value="6"]').check()
    mine.get_by_label("¿Por qué este número? (una línea)").fill("La abuela ayuda.")
    mine.get_by_role("button", name="Guardar mi calificación").click()
    expect(mine).to_contain_text("Su calificación se guardó")
    expect(staff.locator("#scale")).to_contain_text("1 of 2 have rated")
    staff.locator("#scale").get_by_role("button", name="Reveal").click()
    expect(mine.locator(".scale-result")).to_contain_text("Mamá: 6")
    expect(mine.locator(".scale-result svg")).to_contain_text("mediana 6")
    assert_spanish(guest, "revealed scale")
    browser.screenshot(guest, "es-04-scale-revealed-320px")

    # A next step with who and by when: the date in Spanish, on the board and the plan.
    step = "Mamá llama a la escuela."
    add_item(staff, "next", step)
    mine = card(staff, step, "next")
    mine.hover()
    mine.get_by_role("button", name="Who and by when").click()
    mine.get_by_label("Who").fill("Mamá")
    mine.get_by_label("By when").fill("2030-03-01")
    mine.get_by_role("button", name="Save").click()
    expect(card(guest, step, "next").locator(".next-step-who")).to_have_text(
        "Mamá · para el 1 mar 2030"
    )
    assert_spanish(guest, "board with a next step")
    guest.get_by_role("link", name="Plan de acción").click()
    guest.wait_for_url(f"**/meetings/{meeting.id}/plan")
    expect(guest.get_by_role("heading", level=1)).to_have_text("Nuestro plan de acción")
    assert_spanish(guest, "action plan")
    assert not page_scrolls_sideways(guest), "the Spanish plan scrolls sideways at 320 px"
    browser.screenshot(guest, "es-05-plan-320px", full_page=True)


def test_the_projector_shows_the_meeting_in_the_language_chosen_for_it(browser, seed):
    team = seed.team()
    lead = seed.staff("supervisor", team, name="Lupe Ramírez")
    meeting = seed.meeting(lead, seed.case(lead, team, "T.R. (3)"), "family_team", "family")
    seed.invite_code(lead, meeting.id)
    staff = browser.page("facilitator")
    sign_in(staff, lead)
    open_board(staff, meeting.id)
    display = browser.page("display", storage_state=staff.context.storage_state())
    open_display(display, meeting.id)
    expect(display.locator("html")).to_have_attribute("lang", "en")
    # the facilitator chooses the room's language from the board: the display follows
    panel = staff.locator("#present-panel")
    panel.locator("summary").click()
    panel.get_by_role("button", name="Español").click()
    expect(display.locator("html")).to_have_attribute("lang", "es")
    wait_connected(display)
    assert_spanish(display, "projector display")
    browser.screenshot(display, "es-display")
    open_board(staff, meeting.id)  # the facilitator's own board stays in English
    expect(staff.locator("html")).to_have_attribute("lang", "en")


def test_another_open_display_follows_the_language_chosen_live(browser, seed):
    team = seed.team()
    lead = seed.staff("supervisor", team, name="Lupe Ramírez")
    meeting = seed.meeting(lead, seed.case(lead, team, "T.R. (3)"), "family_team", "family")
    staff = browser.page("facilitator")
    sign_in(staff, lead)
    open_board(staff, meeting.id)
    state = staff.context.storage_state()
    projector = browser.page("projector", storage_state=state)
    open_display(projector, meeting.id)
    second = browser.page("second screen", storage_state=state)
    open_display(second, meeting.id)
    expect(projector.locator("html")).to_have_attribute("lang", "en")
    # chosen on the board ("Room's screen"): every open display follows, no one touches them
    panel = staff.locator("#present-panel")
    panel.locator("summary").click()
    panel.get_by_role("button", name="Español").click()
    for display in (projector, second):
        expect(display.locator("html")).to_have_attribute("lang", "es")
    wait_connected(projector)
    assert_spanish(projector, "projector display")
    browser.screenshot(projector, "es-display-followed")
    expect(staff.locator("html")).to_have_attribute("lang", "en")  # boards keep their own
    panel = staff.locator("#present-panel")
    panel.locator("summary").click()
    panel.get_by_role("button", name="English").click()
    expect(projector.locator("html")).to_have_attribute("lang", "en")

"""A whole group supervision in real browsers: nine steps, a facilitator, a presenter,
two members and the display; guided statements, a goal-danger pair, a private scaling
round with one reveal, next steps agreed by the facilitator, and the close."""

from __future__ import annotations

import re

import pytest
from browser_support import (
    DISPLAY_FULL_HD,
    add_form,
    card,
    open_board,
    open_display,
    sign_in,
)
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

STEPS = (
    "Agreements",
    "Presenter's question",
    "Overview and who is involved",
    "Clarifying questions",
    "Mapping",
    "Scaling",
    "Reflections round",
    "Next steps",
    "Process check and appreciation",
)
DANGER = (
    "The school is worried that if mother drinks until she falls asleep "
    "when she is alone with K. at night, the child could be hurt in a fire or a fall."
)
GOAL = (
    "Mother and grandmother will be doing a sober-care plan so that K. experiences "
    "a calm adult awake at night; we will see a named adult every evening for three months."
)


def slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


def test_group_supervision_from_agreements_to_close(browser, seed):
    team = seed.team()
    lead = seed.staff("supervisor", team, name="Sam Supervisor")
    presenter_staff = seed.staff("worker", team, name="Pat Presenter")
    first_staff = seed.staff("worker", team, name="Mia Member")
    second_staff = seed.staff("worker", team, name="Max Member")
    meeting = seed.meeting(lead, seed.case(lead, team, "K.L. (4)"))

    staff = browser.page("facilitator")
    sign_in(staff, lead)
    open_board(staff, meeting.id)
    pages = {"facilitator": staff}
    for label, person in (
        ("presenter", presenter_staff),
        ("member one", first_staff),
        ("member two", second_staff),
    ):
        page = browser.page(label)
        sign_in(page, person)
        open_board(page, meeting.id)
        pages[label] = page
    presenter, one, two = pages["presenter"], pages["member one"], pages["member two"]
    display = browser.page(
        "display", **DISPLAY_FULL_HD, storage_state=staff.context.storage_state()
    )
    open_display(display, meeting.id)
    everyone = (staff, presenter, one, two, display)

    # The facilitator makes Pat the presenter from the people list.
    people = staff.locator("#people")
    for name in ("Pat Presenter", "Mia Member", "Max Member"):
        expect(people.locator(".person", has_text=name)).to_contain_text("Member")
    role = people.get_by_label("Role of Pat Presenter")
    role.select_option(label="Presenter")
    expect(people.locator(".person", has_text="Pat Presenter")).to_contain_text("Presenter")
    # the select sits under the name, not in the presence dot's column squeezing the name
    # (measured in one go: the list is re-rendered as presence and roles change)
    select_x, name_x = staff.evaluate(
        """() => {
          const row = [...document.querySelectorAll('#people .person')]
            .find((r) => r.textContent.includes('Pat Presenter'));
          return [row.querySelector('select').getBoundingClientRect().x,
                  row.querySelector('.person-name').getBoundingClientRect().x];
        }"""
    )
    assert select_x >= name_x - 1
    expect(presenter.locator("#people .person", has_text="Pat Presenter")).to_contain_text(
        "Presenter"
    )

    def go(index: int) -> None:
        """Start / Next step, then wait until another page shows the step."""
        button = "Start" if index == 0 else "Next step"
        staff.get_by_role("button", name=button, exact=True).click()
        expect(presenter.locator("[data-step-title]")).to_have_text(STEPS[index])
        expect(display.locator("#projector-title")).to_contain_text(STEPS[index])
        expect(staff.locator("[data-step-label]")).to_have_text(f"Step {index + 1} of 9")

    def shots(index: int) -> None:
        name = f"gs-{index + 1:02d}-{slug(STEPS[index])}"
        browser.screenshot(staff, f"{name}-facilitator")
        browser.screenshot(display, f"{name}-display")

    for index in range(4):
        go(index)
        shots(index)

    # Mapping: a guided danger statement, a guided safety goal, and the pair.
    go(4)
    expect(presenter.locator('section.section[data-section="danger"]')).to_have_class(
        re.compile(r"\bin-step\b")
    )
    danger_form = add_form(staff, "danger")
    danger_form.locator("summary", has_text="Use the guide").click()
    danger_form.get_by_label("Who is worried").fill("The school")
    danger_form.get_by_label("that if (caregiver) does / doesn't").fill(
        "mother drinks until she falls asleep"
    )
    danger_form.get_by_label("when (context)").fill("she is alone with K. at night")
    danger_form.get_by_label("the child could be … (impact)").fill("hurt in a fire or a fall")
    expect(danger_form.locator("textarea")).to_have_value(DANGER)
    danger_form.get_by_role("button", name="Add", exact=True).click()
    expect(card(staff, DANGER, "danger")).to_have_count(1)
    expect(danger_form.locator("textarea")).to_have_value("")

    goal_form = add_form(staff, "goals")
    goal_form.locator("summary", has_text="Use the guide").click()
    goal_form.get_by_label("(Caregiver) will be doing").fill(
        "Mother and grandmother will be doing a sober-care plan"
    )
    goal_form.get_by_label("so that the child experiences").fill(
        "K. experiences a calm adult awake at night"
    )
    goal_form.get_by_label("we will see").fill("a named adult every evening")
    goal_form.get_by_label("for how long").fill("three months")
    expect(goal_form.locator("textarea")).to_have_value(GOAL)
    goal_form.get_by_role("button", name="Add").click()
    expect(card(staff, GOAL, "goals")).to_have_count(1)

    goal_card = card(staff, GOAL, "goals")
    pair = goal_card.get_by_label("The danger statement this goal answers")
    staff.mouse.move(1, 1)  # the Add click left the pointer where the new card now is
    staff.locator("body").focus()
    expect(pair).to_be_hidden()  # card tools wait for hover or focus
    goal_card.hover()
    expect(pair.locator("option").first).to_have_text("Pair with a danger statement…")
    pair.select_option(label=DANGER[:70])
    for page in (staff, presenter):
        expect(card(page, GOAL, "goals").locator(".pair")).to_have_text(f"Answers: {DANGER}")
        expect(card(page, DANGER, "danger").locator(".pair")).to_have_text(f"Safety goal: {GOAL}")
    expect(card(display, GOAL, "goals")).to_have_count(1)  # the mapping step shows both
    expect(card(display, DANGER, "danger")).to_have_count(1)
    staff.mouse.move(0, 0)
    shots(4)

    # Scaling: private ratings, only the count shows, then one reveal.
    go(5)
    scale = staff.locator("#scale")
    scale.get_by_role("button", name="Open safety scale").click()
    expect(display.locator(".scale-screen")).to_be_visible()
    ratings = (
        (staff, 6, "Grandmother is there most nights."),
        (presenter, 4, "No plan for the nights yet."),
        (one, 5, "Mother asked for help herself."),
        (two, 7, "School sees K. rested."),
    )
    for number, (page, value, reason) in enumerate(ratings, start=1):
        form = page.locator("#scale")
        form.locator(f'input[name="value"][value="{value}"]').check()
        form.get_by_label("Why this number? (one line)").fill(reason)
        form.get_by_role("button", name="Save my rating").click()
        expect(form).to_contain_text("Your rating is saved")
        expect(display.locator(".scale-screen .scale-big")).to_have_text(
            f"{number} of 4 have rated"
        )
    # Before the reveal: no one sees anyone else's number or reason.
    for page in everyone:
        expect(page.locator("#scale .scale-result")).to_be_hidden()
        for other, _value, reason in ratings:
            if other is not page:
                expect(page.locator("body")).not_to_contain_text(reason)
    expect(display.locator(".scale-plot circle")).to_have_count(0)
    shots(5)
    browser.screenshot(display, "gs-06-scaling-display-before-reveal")
    scale.get_by_role("button", name="Reveal").click()
    for page in (staff, presenter, one, two):
        result = page.locator("#scale .scale-result")
        expect(result).to_be_visible()
        expect(result).to_contain_text("Pat Presenter: 4")
        expect(result).to_contain_text("School sees K. rested.")
    shown = display.locator(".scale-screen")
    expect(shown).to_contain_text("Pat Presenter: 4")
    expect(shown).to_contain_text("School sees K. rested.")
    expect(shown.locator(".scale-plot circle")).to_have_count(4)
    summary = shown.locator(".scale-summary")
    for spread in ("lowest 4", "median 5.5", "highest 7"):
        expect(summary).to_contain_text(spread)
    browser.screenshot(display, "gs-06-scaling-display-revealed")

    # Reflections round: the projector puts the plot away, the map is readable again.
    go(6)
    expect(display.locator(".scale-screen")).to_have_count(0)
    expect(staff.locator("#scale .scale-result")).to_be_visible()  # boards keep it
    shots(6)

    # Next steps: two steps with who and by when, agreed by the facilitator.
    go(7)
    steps = (
        (
            "Pat calls the school nurse about the night routine.",
            "Pat Presenter",
            "2030-01-15",
            "Jan 15, 2030",
        ),
        (
            "Family meeting with grandmother about evenings.",
            "Sam Supervisor",
            "2030-01-31",
            "Jan 31, 2030",
        ),
    )
    for text, who, when, shown in steps:
        form = add_form(presenter, "next_steps")
        form.locator("textarea").fill(text)
        form.get_by_role("button", name="Add").click()
        expect(card(presenter, text, "next_steps")).to_have_count(1)
        mine = card(presenter, text, "next_steps")
        expect(mine.locator(".status-chip")).to_have_text("Proposed")
        mine.hover()
        mine.get_by_role("button", name="Who and by when").click()
        mine.get_by_label("Who").fill(who)
        mine.get_by_label("By when").fill(when)
        mine.get_by_role("button", name="Save").click()
        for page in (presenter, staff):
            expect(card(page, text, "next_steps").locator(".next-step-who")).to_have_text(
                f"{who} · by {shown}"
            )
    # Only the facilitator may agree.
    card(presenter, steps[0][0], "next_steps").hover()
    expect(
        card(presenter, steps[0][0], "next_steps").get_by_role("button", name="Agree")
    ).to_be_hidden()
    for text, *_ in steps:
        mine = card(staff, text, "next_steps")
        mine.hover()
        mine.get_by_role("button", name="Agree").click()
        for page in (staff, presenter):
            expect(card(page, text, "next_steps").locator(".status-chip")).to_have_text("Agreed")
        expect(card(display, text, "next_steps").locator(".card-meta")).to_contain_text("Agreed")
    staff.mouse.move(0, 0)
    shots(7)

    # The last step, then the close.
    go(8)
    expect(staff.get_by_role("button", name="Next step", exact=True)).to_be_disabled()
    shots(8)
    confirms = browser.accept_confirms(staff)
    staff.locator(".lead-panel summary").click()
    staff.get_by_role("button", name="Close the meeting").click()
    for page in (staff, presenter, one, two):
        expect(page.locator("[data-closed-banner]")).to_be_visible()
        expect(page.locator("[data-closed-banner]")).to_have_text(
            "This meeting is closed. The board is read-only."
        )
    expect(display.locator(".closed-screen")).to_have_text(re.compile("This meeting is closed."))
    assert confirms and "Close this meeting for everyone?" in confirms[0]
    expect(presenter.locator(".add-form").first).to_be_hidden()
    browser.screenshot(staff, "gs-10-closed-facilitator")
    browser.screenshot(display, "gs-10-closed-display")

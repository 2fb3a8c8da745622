"""The projector display shows a full board on one screen: no scrolling, nothing cut off."""

from __future__ import annotations

import pytest
from browser_support import contrast_failures, open_display, sign_in
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

# About 30 items, spread the way a real group supervision fills the CISF map.
BOARD = [
    ("reason", "What would help the worker decide about unsupervised weekend visits?"),
    ("involved", "J. (7), mother K. (29), grandmother R. (61); father M. lives in another town."),
    ("involved", "Household: mother, J., mother's partner D. since March."),
    ("involved", "School, family doctor, football coach."),
    ("harm", "J. came to school with a bruise on his upper arm; mother says it was a fall."),
    ("harm", "Police called to the home twice this year after shouting was reported."),
    ("harm", "J. missed 14 school days this term."),
    (
        "danger",
        "School and worker are worried that if mother drinks while alone with J., "
        "he could be hurt again and nobody would know.",
    ),
    ("danger", "Worried that J. will keep seeing adults fight and grow scared of being at home."),
    ("complicating", "Housing is at risk: the family may have to move next month."),
    ("complicating", "Mother's partner D. does not want the agency involved."),
    ("complicating", "Three workers on this case in a year."),
    ("strengths", "Mother brings J. to school on most days and he is well fed."),
    ("strengths", "J. loves football and his coach notices how he is doing."),
    ("strengths", "Mother has called the worker back every time."),
    ("strengths", "Grandmother R. is close to J. and lives ten minutes away."),
    ("safety", "Grandmother has looked after J. every weekend for three months."),
    ("safety", "Mother went to two alcohol counselling sessions and asked for more."),
    ("safety", "J. knows to call his grandmother if he is scared; he has done it once."),
    (
        "goals",
        "Mother will be sober whenever she looks after J., and R. will check in "
        "each evening, for the next three months.",
    ),
    (
        "goals",
        "J. will tell his teacher he feels safe at home, and the school will see him every day.",
    ),
    ("next_steps", "Worker meets mother and R. by Friday to write the safety plan."),
    ("next_steps", "Ask school for attendance records since September."),
    ("next_steps", "Offer D. a meeting of his own."),
    ("next_steps", "Review the plan at the next group supervision in four weeks."),
    ("grey", "We don't know who else lives in the home or stays over."),
    ("grey", "Father's view has not been heard."),
    ("grey", "Whether the bruise matches the fall mother describes."),
    ("grey", "How much D. drinks."),
    ("grey", "What J. says when he is asked by someone he trusts."),
]

MEASURE = """() => {
  const fit = document.getElementById('fit');
  const view = { width: innerWidth, height: innerHeight };
  const box = fit.getBoundingClientRect();
  const cut = [];
  for (const item of fit.querySelectorAll('li.item')) {
    const r = item.getBoundingClientRect();
    const text = item.querySelector('.item-text');
    const inside = r.top >= box.top - 0.5 && r.bottom <= box.bottom + 0.5
      && r.left >= box.left - 0.5 && r.right <= box.right + 0.5
      && r.bottom <= view.height && r.right <= view.width;
    if (!inside || r.height === 0 || text.scrollHeight > text.clientHeight + 1
        || text.scrollWidth > text.clientWidth + 1) cut.push(text.textContent.slice(0, 40));
  }
  const root = document.documentElement;
  return {
    pageScrollHeight: root.scrollHeight, pageScrollWidth: root.scrollWidth,
    innerHeight: view.height, innerWidth: view.width,
    fitScrollHeight: fit.scrollHeight, fitClientHeight: fit.clientHeight,
    fitScrollWidth: fit.scrollWidth, fitClientWidth: fit.clientWidth,
    items: fit.querySelectorAll('li.item').length, cut,
    fontPx: parseFloat(getComputedStyle(fit).fontSize),
    itemTextPx: parseFloat(getComputedStyle(fit.querySelector('.item-text')).fontSize),
  };
}"""


def assert_fits(page, expected_items: int) -> dict:
    size = page.evaluate(MEASURE)
    assert size["items"] == expected_items, size
    assert size["pageScrollHeight"] <= size["innerHeight"], size
    assert size["pageScrollWidth"] <= size["innerWidth"], size
    assert size["fitScrollHeight"] <= size["fitClientHeight"], size
    assert size["fitScrollWidth"] <= size["fitClientWidth"], size
    assert size["cut"] == [], size
    for text in page.locator("li.item .item-text").all():
        expect(text).to_be_visible()
    return size


@pytest.fixture
def full_board(seed, browser):
    team = seed.team()
    supervisor = seed.staff("supervisor", team)
    meeting = seed.meeting(supervisor, seed.case(supervisor, team, "J.M. (7)"))
    seed.invite_code(supervisor, meeting.id)  # the join line shows on the display too
    seed.add_items(meeting, BOARD)
    login = browser.page("sign-in")
    sign_in(login, supervisor)
    return meeting, login.context.storage_state()


@pytest.mark.parametrize(
    ("width", "height", "min_text_px"),
    [(1920, 1080, 14), (1280, 720, 9)],
    ids=["1920x1080", "1280x720"],
)
def test_display_fits_thirty_items_on_one_screen(
    browser, seed, full_board, width, height, min_text_px
):
    meeting, signed_in = full_board
    page = browser.page(
        f"display {width}x{height}",
        viewport={"width": width, "height": height},
        storage_state=signed_in,
    )
    open_display(page, meeting.id)
    expect(page.locator("li.item")).to_have_count(len(BOARD))
    browser.screenshot(page, f"display-{width}x{height}")
    size = assert_fits(page, len(BOARD))
    # Legible from the back of a room: the fit should not need tiny type for 30 items.
    print(f"display {width}x{height}: item text {size['itemTextPx']:.1f}px")
    assert size["itemTextPx"] >= min_text_px, size
    assert contrast_failures(page, ".item-text, .item-meta span, .section-head h3, h1, h2") == []

    # A live addition refits at once; a window resize refits too.
    seed_item = "Added during the meeting: R. offers to stay over on Friday nights."
    extra = browser.page(
        "staff board", viewport={"width": 1366, "height": 900}, storage_state=signed_in
    )
    extra.goto(f"/meetings/{meeting.id}")
    extra.get_by_label("Add to Existing safety").fill(seed_item)
    extra.get_by_label("Add to Existing safety").press("Enter")
    expect(page.locator("li.item .item-text", has_text=seed_item)).to_be_visible()
    assert_fits(page, len(BOARD) + 1)
    page.set_viewport_size({"width": 1366, "height": 768})  # the laptop the projector mirrors
    page.wait_for_function("() => innerWidth === 1366")
    page.wait_for_timeout(100)
    assert_fits(page, len(BOARD) + 1)
    browser.screenshot(page, "display-resized-to-1366x768")

"""UI strings the browser shows, translated on the server and handed to the page."""

from __future__ import annotations

from collections.abc import Callable

from babel import Locale
from flask_babel import force_locale, get_locale, get_translations
from flask_babel import gettext as _

from facilitator import languages
from facilitator.domain import statements
from facilitator.domain.agenda import BUILT_IN_STEPS
from facilitator.domain.roles import ROLES, STAFF_ROLES
from facilitator.domain.scaling import ANCHORS


def client_strings() -> dict[str, str]:
    return {
        "connecting": _("Connecting…"),
        "connected": _("All changes saved"),
        "live": _("Live"),
        "saving": _("Saving…"),
        # on a card the server has not confirmed yet (shown on the board at once)
        "not_saved_yet": _("Not saved yet"),
        "text_put_back": _("Your text is back in the box."),
        # the catalog's forms as written: the browser fills %(num)s
        **plural_forms(
            "offline",
            lambda n: get_translations().ngettext(
                "Offline: %(num)s change waiting", "Offline: %(num)s changes waiting", n
            ),
        ),
        "offline_none": _("Offline: reconnecting…"),
        **plural_forms(
            "unsaved",
            lambda n: get_translations().ngettext(
                "Not saved: %(num)s change needs your choice",
                "Not saved: %(num)s changes need your choice",
                n,
            ),
        ),
        "closed_removed": _("The facilitator removed you from this meeting."),
        "closed_rate_limited": _(
            "Too many messages too fast: the connection was closed. Reload the page to go on."
        ),
        "waiting_announce": _("%(name)s is waiting to join."),
        "waiting_failed": _("That didn't work. Check your connection and try again."),
        "closed_signed_out": _("Your session has ended. Sign in or join again."),
        "closed_access_changed": _("Your access to this meeting has changed."),
        "too_long": _("Too long: %(count)s of %(max)s characters. Shorten it to save."),
        "empty": _("Write something before saving."),
        "card_deleted": _("Card deleted."),
        "undo": _("Undo"),
        "undo_hint": _("Ctrl+Z brings it back."),
        "undone": _("Undone."),
        "redone": _("Done again."),
        "undo_stale": _("Someone has changed that since, so it was not undone."),
        "undo_nothing": _("Nothing of yours to undo or redo."),
        "undo_refused": _("That could not be undone; the board is as it was."),
        "written_for_me": _("Myself"),
        "via": _("%(name)s, via %(scribe)s"),
        "added_by": _("added by %(name)s"),
        "view_of": _("%(view)s view"),
        "carried_from": _("from %(date)s"),
        "carried_from_meeting": _("from %(meeting)s, %(date)s"),
        "announce_added": _("%(name)s added to %(section)s: %(text)s"),
        "announce_edited": _("%(name)s changed an item in %(section)s: %(text)s"),
        "announce_moved": _("%(name)s moved an item to %(section)s: %(text)s"),
        "announce_many": _("%(num)s changes from others"),
        "moved_place": _("Moved: %(section)s, %(num)s of %(count)s"),
        "announce_deleted": _("An item was deleted from %(section)s"),
        "online": _("here"),
        "away": _("not connected"),
        "remove": _("Remove"),
        "remove_person": _("Remove %(name)s from the meeting"),
        "code_withdrawn": _("withdrawn: make a new invite"),
        "confirm_remove": _(
            "Remove %(name)s from this meeting? They are disconnected at once, and the code "
            "they used stops working: make a new invite for anyone still to join."
        ),
        "you": _("(you)"),
        "edit_label": _("Edit item"),
        "move_to": _("Move to section"),
        "item_gone": _("This item was deleted by someone else."),
        "error_generic": _("Not saved: %(message)s"),
        "retrying": _("No answer from the server yet; still trying."),
        "step_of": _("Step %(num)s of %(count)s"),
        "not_started": _("Not started yet"),
        "first_step": _("First: %(title)s"),
        "start": _("Start"),
        "next_step": _("Next step"),
        "raise_hand": _("Raise hand"),
        "lower_hand": _("Lower hand"),
        "hands_up": _("Hands up: %(names)s"),
        "ready_count": _("Ready: %(ready)s of %(count)s"),
        "lock": _("Lock"),
        "unlock": _("Unlock"),
        "collect_privately": _("Collect privately"),
        "reveal_section": _("Reveal"),
        "spotlight": _("Spotlight"),
        "spotlight_off": _("End spotlight"),
        "merge_into": _("Merge into…"),
        "merged_count": _("+%(num)s merged"),
        "hidden_item": _("Written privately: shown when the facilitator reveals this section"),
        "anonymous": _("Anonymous"),
        "confirm_close": _(
            "Close this meeting for everyone? The board is frozen as it is now and becomes "
            "read-only; guests are disconnected."
        ),
        "confirm_hand_over": _("Hand facilitation over to %(name)s?"),
        "make_facilitator": _("Make facilitator"),
        "role_for": _("Role of %(name)s"),
        "hand_up": _("Hand up"),
        "editing_now": _("%(name)s is editing this…"),
        "editing_someone": _("Someone is editing this…"),
        "template_danger": _(statements.TEMPLATES["danger"]),
        "template_goals": _(statements.TEMPLATES["goals"]),
        "worksheet_not_scaled": _("Not scaled yet"),
        "worksheet_rated": _("%(num)s rated so far; not revealed yet"),
        "worksheet_no_goal": _("No safety goal paired yet"),
        "template_plan_rules": _(statements.TEMPLATES["plan_rules"]),
        "template_harm": _(statements.TEMPLATES["harm"]),
        "by_when": _("by %(date)s"),
        "nobody_yet": _("No one and no date yet"),
        "overdue": _("Overdue"),
        "answers_danger": _("Answers: %(text)s"),
        "paired_goal": _("Safety goal: %(text)s"),
        "pair_with": _("Pair with a danger statement…"),
        "link_with": _("Link to a goal or worry…"),
        "linked_to": _("For: %(text)s"),
        "family_view_prompt": _("How does the family see this? (Leave empty to remove.)"),
        "jargon_hint": _("Plainer for \u201c%(term)s\u201d: \u201c%(plain)s\u201d."),
        "locked": _("locked"),
        "private": _("collected privately"),
        "closed_meeting_closed": _("The meeting has ended. Thank you for taking part."),
        "time_minutes_left": _("%(num)s minutes left in this step."),
        "time_minute_left": _("One minute left in this step."),
        "timer_last_minute": _("One minute left"),
        "timer_up": _("Time is up"),
        "time_seconds_left": _("30 seconds left in this step."),
        "time_up": _("Time is up for this step."),
        "step_announce": _("Step %(num)s: %(title)s"),
        **{f"role_{key}": _(label) for key, label in ROLES.items()},
        **scale_strings(),
        **involved_strings(),
    }


# Counts to find a number of each CLDR plural category with (Spanish "many": a million).
_SAMPLE_COUNTS = (*range(0, 111), 1000, 10_000, 100_000, 1_000_000, 2_000_000)


def plural_forms(key: str, counted: Callable[[int], str]) -> dict[str, str]:
    """A counted string as key_<category> for every CLDR plural category of the page's
    language ("one", "many", "other" in Spanish), for the browser to pick one with
    Intl.PluralRules: each is the catalog's form for a number of that category."""
    rule = (get_locale() or Locale("en")).plural_form
    forms = {}
    for category in (*sorted(rule.tags), "other"):
        sample = next((n for n in _SAMPLE_COUNTS if rule(n) == category), None)
        if sample is not None:
            forms[f"{key}_{category}"] = counted(sample)
    return forms


def involved_strings() -> dict[str, str]:
    """Who is involved: the list, its form, the diagram and the names on items."""
    return {
        "involved_add": _("Add"),
        "involved_save": _("Save changes"),
        "involved_editing": _("Change %(name)s"),
        "involved_edit_label": _("Change %(name)s"),
        "involved_remove_label": _("Remove %(name)s from the list"),
        "involved_confirm_remove": _(
            "Take %(name)s off the list for everyone? Items that name them keep the name, "
            "marked as removed."
        ),
        "involved_conflict": _(
            "Someone changed this person while you were editing: now %(now)s. Your changes "
            "are still in the form: save again to put them over it, or cancel."
        ),
        "involved_need_name": _("Write initials or a name first."),
        "involved_need_role": _("Choose a role in the network."),
        "involved_bad_age": _("Age: a whole number from 0 to 120, or leave it empty."),
        "involved_age": _("age %(age)s"),
        "involved_lives_in": _("lives in %(household)s"),
        "involved_added": _("%(name)s added %(person)s to who is involved"),
        "involved_removed": _("%(person)s was taken off the list of who is involved"),
        "diagram_network": _("Network, not living with the child"),
        "diagram_professionals": _("Professionals"),
        "diagram_child_home": _("The child"),
        "diagram_label": _("Family and network diagram: %(count)s people"),
        "person_removed": _("%(name)s (removed)"),
    }


def scale_strings() -> dict[str, str]:
    """The scaling round's texts; anchors as scale_anchor_<mode>_<value>."""
    anchors = {
        f"scale_anchor_{mode}_{value}": _(text)
        for mode, pairs in ANCHORS.items()
        for value, text in pairs
    }
    return {
        **anchors,
        "scale_count": _("%(count)s of %(total)s have rated"),
        "scale_threshold_waiting": _(
            "%(count)s of %(needed)s ratings needed. Reveal waits for %(needed)s, so no rating "
            "can be traced to one person."
        ),
        "pre_meeting_brought": _("It is on the board now, with the writer's name."),
        "pre_meeting_none": _("Nothing is waiting."),
        "scale_threshold_met": _("%(count)s of %(needed)s ratings needed: you can reveal."),
        "scale_for_danger": _("For the danger statement: %(text)s"),
        "scale_waiting": _("Ratings stay private until the facilitator reveals them."),
        "scale_open": _("Rating is open: choose a number and say why."),
        "scale_revealed": _("Revealed"),
        "scale_saved": _("Your rating is saved. You can change it until the reveal."),
        "scale_mine": _("Your rating: %(value)s"),
        "scale_choose": _("Choose a number from 0 to 10 first."),
        "scale_anonymous": _("Anonymous"),
        "scale_named": _("Named"),
        "scale_min": _("lowest %(value)s"),
        "scale_median": _("median %(value)s"),
        "scale_max": _("highest %(value)s"),
        "scale_summary": _(
            "Rated by %(count)s: lowest %(min)s, median %(median)s, highest %(max)s"
        ),
        "scale_none": _("No ratings were given."),
        "scale_rating_named": _("%(name)s: %(value)s"),
        "scale_rating_anonymous": _("Someone: %(value)s"),
        "scale_followup_prefill": _("Scale %(value)s: "),
        "announce_scale_opened": _("A safety scale is open: rate privately."),
        "announce_scale_revealed": _("The ratings are revealed."),
    }


def assignable_roles() -> list[list[str]]:
    """The roles a facilitator may give a staff member, as (key, label) pairs."""
    return [[key, _(ROLES[key])] for key in STAFF_ROLES if key != "facilitator"]


def agenda_texts() -> dict[str, str]:
    """The built-in agendas' titles and purposes, as any language wrote them into a meeting
    when it started, each in the viewer's language (a step someone edited stays as written)."""
    msgids = {text for step in BUILT_IN_STEPS for text in (step.title, step.purpose) if text}
    shown = {msgid: _(msgid) for msgid in msgids}
    found: dict[str, str] = {}
    for code in languages.available():
        with force_locale(code):
            found.update({_(msgid): shown[msgid] for msgid in msgids})
    return found


def display_strings() -> dict[str, str]:
    """The room's screen's own texts (static/js/display/), in the room's language."""
    return {
        "page_of": _("Page %(page)s of %(count)s"),
        "auto_pages": _("turning by itself"),
        "continued": _("(continued)"),
        "empty": _("Nothing here yet"),
        "overview": _("Overview of the whole map: small type"),
        "in_focus": _("In focus"),
        "presenter_question": _("Presenter's question"),
        "step_of": _("Step %(num)s of %(count)s: %(title)s"),
        "scale_title": _("Safety scale"),
        "reasons": _("Reasons"),
        "who_when": _("Who: %(owner)s · by %(due)s"),
        "timer_last_minute": _("One minute left"),
        "timer_up": _("Time is up"),
        "chime_muted": _("Chime muted (M)"),
    }


def family_time_strings() -> dict[str, str]:
    """The board's words for private family time and the child's consent (family wording:
    plain, DOMAIN.md §3)."""
    return {
        "family_time_banner": _("Private family time: only your family sees what you add."),
        "family_time_kept": _(
            "Only your family sees what it wrote on its own (%(num)s). Share it with the "
            "team when you are ready."
        ),
        "family_only": _("Only your family sees this"),
        "confirm_share_family": _(
            "Share everything your family wrote on its own with the team? Do this when you "
            "have agreed together."
        ),
        "start_family_time": _("Start private family time"),
        "end_family_time": _("End private family time"),
        "awaiting_consent_item": _("The child's words: shown once consent is recorded"),
        "awaiting_consent_note": _("Waiting for consent: only you and the facilitator see this"),
        "consent_recorded": _("Shown with the consent of %(name)s, recorded %(date)s."),
    }

"""Every staff page, signed in with Spanish chosen, holds no English UI string: its text,
labels, titles, placeholders and messages (what people wrote, their names and the audit
trail's action codes aside)."""

from __future__ import annotations

import html
import re

import pytest
from english import english_in, english_ui_strings

ENGLISH = english_ui_strings("es")
ACTION_CODE = re.compile(r"\b[a-z_]+\.[a-z_.]+\b")  # the audit trail's 'export.pdf' and such


def seen(page: str, names: list[str]) -> str:
    """What a person sees or hears of a page: text and the attributes read out."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    attributes = re.findall(r'\s(?:aria-label|title|placeholder|alt)="([^"]*)"', page)
    attributes += [v for v in re.findall(r'\sdata-[\w-]+="([^"]*)"', page) if " " in v]
    text = html.unescape(re.sub(r"<[^>]+>", " ", page) + "\n" + "\n".join(attributes))
    for name in names:
        text = text.replace(name, " ")
    return ACTION_CODE.sub(" ", text)


PAGES = [
    ("supervisor", "/cases"),
    ("supervisor", "/cases/{case_id}"),
    ("supervisor", "/cases/new"),
    ("supervisor", "/account"),
    ("supervisor", "/search"),
    ("supervisor", "/meetings/{meeting_id}"),
    ("supervisor", "/meetings/{meeting_id}/display"),
    ("supervisor", "/meetings/{meeting_id}/plan"),
    ("supervisor", "/meetings/{meeting_id}/history"),
    ("supervisor", "/nothing-here"),
    ("admin", "/admin"),
    ("admin", "/admin/audit"),
    ("admin", "/admin/retention"),
]


@pytest.mark.parametrize(("who", "address"), PAGES)
def test_a_staff_page_in_spanish_has_no_english(scene, staff_client, who, address):
    person = getattr(scene, who)
    client = staff_client(person)
    client.post("/language", data={"language": "es", "next": "/"})
    page = client.get(address.format(case_id=scene.case_id, meeting_id=scene.meeting_id))
    assert page.status_code in (200, 404)
    names = [p.name for p in (scene.supervisor, scene.worker, scene.admin, scene.outsider)]
    found = english_in(seen(page.get_data(as_text=True), names), ENGLISH)
    assert not found, f"English on {address}: {found[:10]}"


def test_the_invite_page_in_spanish_has_no_english(scene, staff_client):
    client = staff_client(scene.supervisor)
    client.post("/language", data={"language": "es", "next": "/"})
    page = client.post(f"/meetings/{scene.meeting_id}/invites")
    assert page.status_code == 200
    assert not english_in(seen(page.get_data(as_text=True), []), ENGLISH)


def test_the_scan_sees_english_where_there_is_some():
    assert english_in(
        seen('<p>Sign out</p><button aria-label="Close case">x</button>', []), ENGLISH
    )

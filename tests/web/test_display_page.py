"""The room's screen as served: read-only, in the theme the facilitator chose, no controls."""

from __future__ import annotations

from facilitator.extensions import db
from facilitator.models import Meeting


def test_the_display_page_has_nothing_to_click(scene, staff_client):
    page = staff_client(scene.supervisor).get(f"/meetings/{scene.meeting_id}/display")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "theme-dark" in html
    assert "<button" not in html and "<form" not in html and "<textarea" not in html


def test_the_display_opens_in_the_chosen_theme(app, scene, staff_client):
    with app.app_context():
        db.session.get(Meeting, scene.meeting_id).presentation = {"theme": "light"}
        db.session.commit()
    page = staff_client(scene.supervisor).get(f"/meetings/{scene.meeting_id}/display")
    assert "theme-light" in page.get_data(as_text=True)

"""An agency words the scale's anchors and the plain-language list its own way."""

import pytest

from facilitator.domain.jargon import parse_jargon_lines


def test_an_admin_rewords_an_anchor_and_the_board_uses_it(client, scene, staff_client):
    admin = staff_client(scene.admin)
    response = admin.post(
        "/admin/texts",
        data={"scale_anchor_professional_10": "Safe enough to close the case.", "jargon": ""},
    )
    assert response.status_code == 302
    board = staff_client(scene.supervisor).get(f"/meetings/{scene.meeting_id}")
    assert "Safe enough to close the case." in board.get_data(as_text=True)


def test_an_empty_anchor_falls_back_to_the_built_in_wording(scene, staff_client):
    admin = staff_client(scene.admin)
    admin.post("/admin/texts", data={"scale_anchor_family_0": "Danger!", "jargon": ""})
    admin.post("/admin/texts", data={"scale_anchor_family_0": "", "jargon": ""})
    assert "The child is in danger." in admin.get("/admin").get_data(as_text=True)


def test_a_malformed_word_list_is_refused_with_the_line(scene, staff_client):
    admin = staff_client(scene.admin)
    page = admin.post(
        "/admin/texts", data={"jargon": "allegation = what someone said\nno equals sign"}
    )
    assert page.status_code == 200
    assert "line 2" in page.get_data(as_text=True)


def test_only_admins_reword(scene, staff_client):
    response = staff_client(scene.supervisor).post("/admin/texts", data={"jargon": ""})
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("text", "words"),
    [("a = b\n\n c = d ", {"a": "b", "c": "d"}), ("", {})],
)
def test_word_lists_parse_one_pair_per_line(text, words):
    assert parse_jargon_lines(text) == words

"""The strings handed to the browser keep their placeholders for the browser to fill."""

from __future__ import annotations

from facilitator.web.client_strings import client_strings


def test_the_counts_are_left_for_the_browser_to_fill(app):
    """ngettext fills %(num)s with the number that picks the plural form; the page must get
    the placeholder, or every count above one reads "2 changes waiting"."""
    with app.test_request_context():
        strings = client_strings()
    assert strings["offline_one"] == "Offline: %(num)s change waiting"
    assert strings["offline_other"] == "Offline: %(num)s changes waiting"
    assert strings["unsaved_one"] == "Not saved: %(num)s change needs your choice"
    assert strings["unsaved_other"] == "Not saved: %(num)s changes need your choice"

"""The strings handed to the browser keep their placeholders for the browser to fill."""

from __future__ import annotations

from flask_babel import force_locale

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


def test_english_sends_the_one_and_other_forms_only(app):
    with app.test_request_context():
        strings = client_strings()
    assert sorted(key for key in strings if key.startswith("offline_")) == [
        "offline_none", "offline_one", "offline_other",
    ]  # fmt: skip


def test_spanish_sends_every_cldr_category_with_the_catalogs_form_for_it(app):
    """CLDR gives Spanish "many" for a million ("1.000.000 de cambios"): the page gets a form
    per category, and Intl.PluralRules in the browser picks one (static/js/lib/dom.js)."""
    with app.test_request_context(headers={"Accept-Language": "es"}), force_locale("es"):
        strings = client_strings()
    assert strings["offline_one"] == "Sin conexión: %(num)s cambio pendiente"
    assert strings["offline_many"] == "Sin conexión: %(num)s de cambios pendientes"
    assert strings["offline_other"] == "Sin conexión: %(num)s cambios pendientes"
    assert strings["unsaved_many"] == "Sin guardar: %(num)s de cambios necesitan que usted elija"
    assert "offline_few" not in strings and "offline_two" not in strings

// Small DOM helpers. User text only ever goes in through textContent.

export function readConfig() {
  return JSON.parse(document.getElementById('page-config').textContent);
}

export function cloneTemplate(id) {
  return document.getElementById(id).content.firstElementChild.cloneNode(true);
}

/** Fill "%(name)s" placeholders, as gettext strings from the server use them. */
export function format(template, values = {}) {
  return template.replace(/%\((\w+)\)s/g, (_, key) => String(values[key] ?? ''));
}

/** A calendar date ("2026-11-27") in the page's language, as the server writes dates. */
export function formatDate(iso, lang = document.documentElement.lang || 'en') {
  const [year, month, day] = String(iso).split('-').map(Number);
  if (!year || !month || !day) return String(iso);
  const when = new Date(Date.UTC(year, month - 1, day));
  return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeZone: 'UTC' }).format(when);
}

/** A number in the page's language ("5.5" in English, "5,5" in Spanish). */
export function formatNumber(value, lang = document.documentElement.lang || 'en') {
  return typeof value === 'number' ? new Intl.NumberFormat(lang).format(value) : String(value ?? '');
}

/**
 * A counted string in the page's language: strings hold it as `${key}_${category}` for each
 * CLDR plural category the language has (one, few, many, other …); a category the server
 * did not send (an older or newer CLDR than the browser's) falls back to "other".
 */
export function plural(strings, key, count, lang = document.documentElement.lang || 'en') {
  let category = 'other';
  try {
    category = new Intl.PluralRules(lang).select(count);
  } catch {
    // an unknown language tag: "other" reads right for most counts
  }
  return strings[`${key}_${category}`] ?? strings[`${key}_other`] ?? '';
}

export function setText(element, text) {
  if (element.textContent !== text) element.textContent = text;
}

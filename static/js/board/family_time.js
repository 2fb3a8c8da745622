// Private family time and the child's consent on the board (domain/family_time.py,
// domain/consent.py): the family's banner with its "Share with the team", the calm panel
// everyone else sees while the family talks on its own, the facilitator's control, the
// staff's consent form, and the marks on the cards they concern. The server decides what
// each person receives; this only shows it. Rendering only reads state.
import { format, formatDate, setText } from '../lib/dom.js';
import { ackMessage } from './writing.js';

/** The items the family keeps to itself (only family members ever receive them). */
export function familyItems(state) {
  return [...state.items.values()].filter((item) => item.family_private);
}

export function familyTimeRunning(state) {
  return Boolean(state.meeting.family_time_started_at) && state.meeting.status === 'live';
}

/** What the family's banner says: null when it has nothing to say. */
export function familyBanner(state, config) {
  if (!config.family || state.meeting.status !== 'live') return null;
  const kept = familyItems(state).length;
  if (familyTimeRunning(state)) return { text: config.strings.family_time_banner, share: kept > 0 };
  return kept ? { text: format(config.strings.family_time_kept, { num: kept }), share: true } : null;
}

function renderBanner(state, config) {
  const banner = document.querySelector('[data-family-banner]');
  if (!banner) return;
  const said = familyBanner(state, config);
  banner.hidden = !said;
  if (!said) return;
  setText(banner.querySelector('[data-family-banner-text]'), said.text);
  banner.querySelector('[data-action="share-family"]').hidden = !said.share;
}

function renderControl(state, config) {
  const toggle = document.querySelector('[data-action="family-time"]');
  if (!toggle) return;
  const running = familyTimeRunning(state);
  toggle.setAttribute('aria-pressed', String(running));
  setText(toggle, running ? config.strings.end_family_time : config.strings.start_family_time);
}

function renderConsent(state, config) {
  const panel = document.querySelector('[data-consent-panel]');
  if (!panel) return;
  panel.hidden = !config.consent_required || state.meeting.status !== 'live';
  const consent = state.meeting.child_consent;
  const recorded = panel.querySelector('[data-consent-recorded]');
  recorded.hidden = !consent;
  panel.querySelector('[data-consent-form]').hidden = Boolean(consent);
  if (consent) setText(recorded, format(config.strings.consent_recorded, { name: consent.by, date: formatDate(String(consent.at).slice(0, 10)) }));
}

function note(card, className, text) {
  let element = card.querySelector(`.${className}`);
  if (!text) { element?.remove(); return; }
  if (!element) {
    element = document.createElement('p');
    element.className = className;
    card.querySelector('.item-meta').after(element);
  }
  setText(element, text);
}

function renderCards(state, config) {
  for (const card of document.querySelectorAll('#map li.item')) {
    const item = state.items.get(Number(card.dataset.itemId));
    if (!item) continue;
    card.classList.toggle('is-family-private', Boolean(item.family_private));
    card.classList.toggle('is-awaiting-consent', Boolean(item.awaiting_consent));
    card.classList.toggle('is-withheld', Boolean(item.awaiting_consent && !item.text)); // a placeholder
    note(card, 'family-note', item.family_private ? config.strings.family_only : '');
    note(card, 'consent-note', item.awaiting_consent && item.text ? config.strings.awaiting_consent_note : '');
  }
}

export function renderFamilyTime(state, config) {
  renderBanner(state, config);
  const panel = document.querySelector('[data-family-time-panel]');
  if (panel) panel.hidden = Boolean(config.family) || !familyTimeRunning(state);
  renderControl(state, config);
  renderConsent(state, config);
  renderCards(state, config);
}

/** "Share with the team": everything the family kept, at once, once the family agrees. */
export async function shareFamilyItems(app) {
  if (!window.confirm(app.config.strings.confirm_share_family)) return;
  const ack = await app.send('share_family_items', {});
  if (!ack.ok) app.alert(ackMessage(app.config, ack));
}

export async function recordConsent(app, form) {
  const input = form.querySelector('[name="by"]');
  const error = form.querySelector('.form-error');
  const ack = await app.send('record_consent', { by: input.value });
  error.hidden = ack.ok;
  if (!ack.ok) { setText(error, ackMessage(app.config, ack)); return; } // what was typed stays
  input.value = '';
}

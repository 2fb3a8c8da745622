// Rendering: cards built from <template> elements, reconciled by item id.
import { cloneTemplate, format, formatDate, plural, setText } from '../lib/dom.js';
import { markJargon, unmarkJargon } from './jargon.js';
import { sectionItems } from './state.js';

export function sectionTitles(config) {
  return new Map(config.framework.sections.map((s) => [s.key, s.title]));
}

export function canChange(config, state, item) {
  if (config.display) return false;
  if (state.meeting.status === 'closed') return false;
  // one's own, and what one wrote for someone in the room ("Rosa, via Sam")
  const mine = item.author.id !== null && item.author.id === state.you;
  return config.is_staff || item.mine || mine || (item.scribe_id != null && item.scribe_id === state.you);
}

function fillMoveSelect(select, config, current) {
  if (!select.options.length) {
    for (const section of config.framework.sections) {
      const option = document.createElement('option');
      option.value = section.key;
      option.textContent = section.title;
      select.append(option);
    }
  }
  select.value = current;
}

/** "Maria Lopez" -> "M.L.": what the projector shows when the facilitator asks for initials. */
export function initials(name) {
  return (name || '').split(/\s+/).filter(Boolean).map((part) => `${[...part][0].toUpperCase()}.`).join('');
}

/** What a card says instead of text the server kept back (null: its text is shown). */
export function placeholder(item, config) {
  if (item.text) return null;
  if (item.awaiting_consent) return config.strings.awaiting_consent_item;
  return item.hidden ? config.strings.hidden_item : null;
}

function fillCard(card, item, context) {
  const { config, state, index, count } = context;
  card.dataset.itemId = String(item.id);
  card.dataset.version = String(item.version);
  card.dataset.view = item.view;
  const shown = (who) => (config.display && state.meeting.show_initials ? initials(who) : who);
  const name = item.author.via ? format(config.strings.via, { name: shown(item.author.name), scribe: shown(item.author.via) }) : shown(item.author.name);
  setText(card.querySelector('.item-author'), item.anonymous ? config.strings.anonymous : name);
  fillText(card.querySelector('.item-text'), item, config);
  setText(card.querySelector('.item-view'), format(config.strings.view_of, { view: config.views[item.view] }));
  markPending(card, item, config);
  const carried = card.querySelector('.item-carried');
  const from = (config.carried_from_dates || {})[item.id];
  const fromKind = (config.carried_from_kinds || {})[item.id];
  const said = fromKind ? format(config.strings.carried_from_meeting, { meeting: fromKind, date: formatDate(from) }) : format(config.strings.carried_from, { date: formatDate(from) });
  if (carried) { carried.hidden = !from; setText(carried, from ? said : ''); }
  const actions = card.querySelector('.item-actions');
  if (!actions) return;
  // a provisional item has no id the server knows yet: nothing to edit, move or delete
  const allowed = canChange(config, state, item) && !item.provisional;
  actions.hidden = !allowed;
  card.classList.toggle('is-mine', item.author.id === state.you);
  if (!allowed) return;
  actions.querySelector('[data-action="up"]').disabled = index === 0;
  actions.querySelector('[data-action="down"]').disabled = index === count - 1;
  fillMoveSelect(actions.querySelector('[data-action="move-to"]'), config, item.section);
}

/** A card's words; in family words, each agency word marked with its plain meaning on tap
 *  (every reader's board, not the projector's: jargon.js). */
function fillText(element, item, config) {
  const instead = placeholder(item, config);
  const text = instead ?? item.text;
  const words = config.jargon || {};
  if (instead === null && !config.display && Object.keys(words).length) markJargon(document, element, text, words);
  else unmarkJargon(element, text);
}

/** A card whose change the server has not confirmed yet says so: a dashed border, and a
 *  label that screen readers read (and everyone sees while the page is offline). */
function markPending(card, item, config) {
  card.classList.toggle('is-pending', Boolean(item.pending));
  card.classList.toggle('is-provisional', Boolean(item.provisional));
  let label = card.querySelector('.item-pending');
  if (!item.pending) { label?.remove(); return; }
  if (!label) {
    label = document.createElement('span');
    label.className = 'item-pending';
    card.querySelector('.item-meta').append(label);
  }
  setText(label, config.strings.not_saved_yet);
}

/** The saved item's card is the provisional one it replaces, renamed: reconciling by id then
 *  fills it in place, so nothing blinks and focus stays where it was. */
export function adoptCard(root, provisionalId, itemId) {
  const card = root.querySelector(`li.item[data-item-id="${CSS.escape(provisionalId)}"]`);
  if (card && !root.querySelector(`li.item[data-item-id="${itemId}"]`)) card.dataset.itemId = String(itemId);
}

/** Bring one section's list in line with the state, keeping cards being edited. */
export function renderSection(list, state, config) {
  const items = sectionItems(state, list.dataset.section);
  const existing = new Map([...list.children].map((card) => [card.dataset.itemId, card]));
  items.forEach((item, index) => {
    let card = existing.get(String(item.id));
    existing.delete(String(item.id));
    if (!card) card = cloneTemplate('tpl-item');
    if (!card.classList.contains('is-editing')) {
      fillCard(card, item, { config, state, index, count: items.length });
    } else if (Number(card.dataset.version) !== item.version) {
      card.classList.add('is-stale');
    }
    if (list.children[index] !== card) list.insertBefore(card, list.children[index] || null);
  });
  for (const card of existing.values()) {
    if (card.classList.contains('is-editing')) card.classList.add('is-gone');
    else card.remove();
  }
  const count = document.querySelector(`[data-count-for="${list.dataset.section}"]`);
  if (count) setText(count, items.length ? String(items.length) : '');
}

export function renderBoard(root, state, config) {
  for (const list of root.querySelectorAll('ul.items')) renderSection(list, state, config);
}

function badge(label) {
  const element = document.createElement('span');
  element.className = 'signal-badge';
  element.textContent = label;
  return element;
}

function roleSelect(person, config) {
  const select = document.createElement('select');
  select.dataset.action = 'set-role';
  select.dataset.participantId = String(person.id);
  select.setAttribute('aria-label', format(config.strings.role_for, { name: person.name }));
  for (const [key, label] of config.roles) select.append(new Option(label, key, false, key === person.role));
  return select;
}

export function renderPeople(list, state, config) {
  if (!list) return;
  if (list.contains(document.activeElement) && document.activeElement.tagName === 'SELECT') return;
  const leadsHere = state.meeting.status === 'live' && state.participants.some((p) => p.id === state.you && p.role === 'facilitator');
  list.replaceChildren();
  for (const person of state.participants) {
    const row = cloneTemplate('tpl-person');
    row.classList.toggle('is-online', person.online);
    setText(row.querySelector('.person-name'), person.id === state.you ? `${person.name} ${config.strings.you}` : person.name);
    const role = config.strings[`role_${person.role}`] || person.role;
    setText(row.querySelector('.person-role'), `${role} · ${person.online ? config.strings.online : config.strings.away}`);
    if (person.hand_raised) row.append(badge(config.strings.hand_up));
    if (leadsHere && !person.guest && person.role !== 'facilitator' && person.id !== state.you) {
      row.append(roleSelect(person, config));
      const handOver = document.createElement('button');
      handOver.type = 'button';
      handOver.className = 'link-button';
      handOver.dataset.action = 'make-facilitator';
      handOver.dataset.participantId = String(person.id);
      handOver.dataset.name = person.name;
      handOver.textContent = config.strings.make_facilitator;
      row.append(handOver);
    }
    if (leadsHere && person.guest) {
      const remove = document.createElement('button');
      remove.type = 'button';
      remove.className = 'link-button danger';
      remove.dataset.action = 'remove-person';
      remove.dataset.participantId = String(person.id);
      remove.dataset.name = person.name;
      remove.textContent = config.strings.remove;
      remove.setAttribute('aria-label', format(config.strings.remove_person, { name: person.name }));
      row.append(remove);
    }
    list.append(row);
  }
}

export function showStatus(element, config, state, waiting) {
  const text = {
    connected: config.display ? config.strings.live : config.strings.connected,
    saving: config.strings.saving,
    retrying: config.strings.retrying,
    offline: waiting
      ? format(plural(config.strings, 'offline', waiting), { num: waiting })
      : config.strings.offline_none,
    unsaved: format(plural(config.strings, 'unsaved', waiting), { num: waiting }),
  }[state] || config.strings.connecting;
  element.className = `status status-${state}`;
  setText(element, text);
}

/** A guest's removal withdrew the code they used: stop showing it as a way in. */
export function markWithdrawnCode(event, config) {
  if (event.type !== 'participant_removed' || !event.withdrawn_invite_id) return;
  for (const element of document.querySelectorAll('[data-invite-id]')) {
    if (Number(element.dataset.inviteId) !== event.withdrawn_invite_id) continue;
    element.textContent = config.strings.code_withdrawn;
    element.classList.add('is-withdrawn');
    delete element.dataset.inviteId;
  }
}

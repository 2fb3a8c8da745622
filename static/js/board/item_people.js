// The people an item names ("who keeps this rule", "who is worried"): small tags on the
// card, and a chooser of people from the list of who is involved (its buttons: intents.js).
import { cloneTemplate, format, setText } from '../lib/dom.js';
import { ackMessage } from './writing.js';
import { listedPeople } from './state.js';
import { canChange } from './view.js';
import { shownName } from './involved.js';

/** The tags' texts: a removed person keeps their name, marked; an unknown id is skipped. */
export function peopleTags(item, state, config) {
  return (item.person_ids || []).map((id) => state.involved.get(id)).filter(Boolean)
    .map((person) => ({ id: person.id, name: shownName(person, state, config), removed: person.removed }))
    .map((tag) => ({ ...tag, text: tag.removed ? format(config.strings.person_removed, { name: tag.name }) : tag.name }));
}

function fillTags(card, item, state, config) {
  const box = card.querySelector('.item-people');
  const tags = peopleTags(item, state, config);
  box.hidden = !tags.length;
  const key = JSON.stringify(tags);
  if (box.dataset.key === key) return;
  box.dataset.key = key;
  box.replaceChildren(...tags.map((tag) => {
    const span = document.createElement('span');
    span.className = `person-tag${tag.removed ? ' is-removed' : ''}`;
    span.textContent = tag.text;
    return span;
  }));
}

/** Tags on every card, and the "People" button where the viewer may change the item. */
export function renderItemPeople(root, state, config) {
  const listed = listedPeople(state).length > 0;
  for (const card of root.querySelectorAll('li.item')) {
    const item = state.items.get(Number(card.dataset.itemId));
    if (!item) continue;
    fillTags(card, item, state, config);
    const button = card.querySelector('[data-action="name-people"]');
    if (button) button.hidden = !(listed && canChange(config, state, item));
  }
}

/** The chooser of people on a card (its "People" button). */
export function openChooser(app, button) {
  const card = button.closest('li.item');
  const item = app.state().items.get(Number(card.dataset.itemId));
  if (!item) return;
  if (card.querySelector('.people-chooser')) { card.querySelector('.people-chooser input')?.focus(); return; }
  const { config } = app;
  const chooser = cloneTemplate('tpl-people-chooser');
  const named = new Set(item.person_ids || []);
  const offered = [...listedPeople(app.state()), ...[...named].map((id) => app.state().involved.get(id)).filter((p) => p?.removed)];
  chooser.querySelector('.people-choices').replaceChildren(...offered.map((person) => {
    const label = document.createElement('label');
    label.className = 'check';
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.value = String(person.id);
    box.checked = named.has(person.id);
    label.append(box, ` ${person.removed ? format(config.strings.person_removed, { name: person.name }) : person.name}`);
    return label;
  }));
  card.querySelector('.item-actions').after(chooser);
  chooser.querySelector('input')?.focus();
}

export function closeChooser(card) {
  card.querySelector('.people-chooser')?.remove();
  card.focus(); // the card's actions show while focus is within it
  card.querySelector('[data-action="name-people"]')?.focus();
}

/** Save who the item names: one set_item_people op; a refusal is said in the chooser. */
export async function savePeople(app, button) {
  const card = button.closest('li.item');
  const chooser = card.querySelector('.people-chooser');
  const ids = [...chooser.querySelectorAll('input:checked')].map((box) => Number(box.value));
  const ack = await app.send('set_item_people', { item_id: Number(card.dataset.itemId), person_ids: ids });
  if (ack.ok) { closeChooser(card); return; }
  const error = chooser.querySelector('.form-error');
  error.hidden = false;
  error.textContent = ackMessage(app.config, ack);
}

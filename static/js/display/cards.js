// Cards and section blocks for the room's screen, built from <template>s with textContent.
import { cloneTemplate, format, formatDate } from '../lib/dom.js';
import { listedPeople } from '../board/state.js';
import { placeholder } from '../board/view.js';
import { shownItems } from './choose.js';

/** "Maria Lopez" -> "M.L.": what the room sees when the facilitator asks for initials. */
export function initials(name) {
  return (name || '').split(/\s+/).filter(Boolean).map((part) => `${[...part][0].toUpperCase()}.`).join('');
}

function nameOf(name, state) {
  return state.meeting.show_initials && /\s/.test((name || '').trim()) ? initials(name) : name;
}

/** The people an item names (a removed one marked), as the board's tags say them. */
function peopleOf(item, state, config) {
  return (item.person_ids ?? []).map((id) => state.involved.get(id)).filter(Boolean)
    .map((person) => (person.removed ? format(config.strings.person_removed, { name: nameOf(person.name, state) }) : nameOf(person.name, state)));
}

function itemMeta(item, state, config, words) {
  const parts = [...peopleOf(item, state, config)];
  if (item.owner || item.due_on) parts.push(format(words.who_when, { owner: item.owner || '–', due: item.due_on ? formatDate(item.due_on) : '–' }));
  if (item.status && config.next_step_statuses[item.status]) parts.push(config.next_step_statuses[item.status]);
  // the agency's view is the default: only another view (a parent's, a child's...) is named,
  // with who wrote it, so the room's cards carry no line that says nothing new
  if (item.view && item.view !== 'agency') {
    parts.push(format(config.strings.view_of, { view: config.views[item.view] }));
    parts.push(item.anonymous ? config.strings.anonymous : nameOf(item.author?.name, state));
  }
  return parts.filter(Boolean).join(' · ');
}

/** The cards a section shows: its items, and for the context sections the presenter's
 *  question and the people around the child. Each: {key, text, meta, kind}. */
export function sectionCards(section, state, config, words) {
  const cards = [];
  if (section === 'reason' && state.meeting.question) {
    cards.push({ key: 'question', text: state.meeting.question, meta: words.presenter_question, kind: 'question' });
  }
  for (const item of shownItems(state, section)) {
    const text = placeholder(item, config) ?? item.text;
    // a placeholder is no one's words: no quotes around it on a child's board
    const kind = placeholder(item, config) ? 'placeholder' : undefined;
    cards.push({ key: `item-${item.id}-${item.version}`, id: item.id, text, meta: itemMeta(item, state, config, words), kind });
  }
  if (section === 'involved') {
    for (const person of listedPeople(state)) {
      const about = [person.relationship, person.age == null ? '' : format(config.strings.involved_age, { age: person.age })].filter(Boolean).join(', ');
      cards.push({ key: `person-${person.id}-${person.version}`, text: nameOf(person.name, state), meta: about });
    }
  }
  return cards;
}

export function buildCard(card) {
  const element = cloneTemplate('tpl-card');
  element.querySelector('.card-text').textContent = card.text;
  element.querySelector('.card-meta').textContent = card.meta || '';
  if (card.kind) element.classList.add(`is-${card.kind}`);
  if (card.id) element.dataset.itemId = String(card.id);
  return element;
}

export function emptyCard(words) {
  return buildCard({ text: words.empty, kind: 'empty' });
}

/** A section's block: its title (marked when it goes on from an earlier column or page). */
export function buildBlock(section, continued, words) {
  const block = cloneTemplate('tpl-block');
  block.dataset.section = section.key;
  block.classList.add(`tone-${section.column}`);
  block.querySelector('.block-name').textContent = section.title;
  block.querySelector('.block-more').textContent = continued ? words.continued : '';
  return block;
}

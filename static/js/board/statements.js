// Danger statements, safety goals and next steps on the cards: the guided builder, pairs,
// the family's view, who / by when / status, and plain-language hints in family mode.
// Renderers, and the flows intents.js calls for these controls.
import { cloneTemplate, format, formatDate, setText } from '../lib/dom.js';
import { jargonIn } from './jargon.js';
import { leads } from './meeting.js';
import { canChange } from './view.js';

const today = () => new Date().toISOString().slice(0, 10);
// what an item's card offers to link it to (domain/statements.py LINKS)
const LINK_TARGETS = { next_steps: ['goals', 'danger'], next: ['worries'] };

export function isOverdue(item, now = today()) {
  return Boolean(item.due_on) && ['proposed', 'agreed'].includes(item.status) && item.due_on < now;
}

/** The sentence a builder's parts make, with the template's joining words; a part not filled
 *  in yet shows as "…" (domain/statements.py compose). */
export function composeStatement(config, section, parts) {
  const keys = (config.builders[section] || []).map(([key]) => key);
  if (!keys.some((key) => parts[key])) return '';
  return format(config.strings[`template_${section}`], Object.fromEntries(keys.map((key) => [key, parts[key] || '…'])));
}

function fillNextStep(extra, item, state, config) {
  const box = extra.querySelector('.next-step');
  box.hidden = !config.next_step_sections.includes(item.section);
  if (box.hidden) return;
  const status = item.status || 'proposed';
  const chip = box.querySelector('.status-chip');
  setText(chip, config.next_step_statuses[status]);
  chip.className = `status-chip status-${status}`;
  const who = [item.owner, item.due_on ? format(config.strings.by_when, { date: formatDate(item.due_on) }) : ''].filter(Boolean).join(' · ');
  setText(box.querySelector('.next-step-who'), who || config.strings.nobody_yet);
  box.classList.toggle('is-overdue', isOverdue(item));
  setText(box.querySelector('.overdue'), isOverdue(item) ? config.strings.overdue : '');
  const editable = canChange(config, state, item);
  const lead = leads(state, config);
  const show = { agree: lead && status === 'proposed', done: status === 'agreed', drop: ['proposed', 'agreed'].includes(status), reopen: ['done', 'dropped'].includes(status) };
  for (const [action, visible] of Object.entries(show)) box.querySelector(`[data-status-action="${action}"]`).hidden = !(editable && visible);
  box.querySelector('[data-action="edit-next-step"]').hidden = !editable;
}

function fillPair(extra, item, state, config) {
  const pair = extra.querySelector('.pair');
  let partner = null; // a goal answers one danger statement; the danger shows its goal
  if (item.section === 'goals') partner = state.items.get(item.link_id);
  if (item.section === 'danger') partner = [...state.items.values()].find((other) => other.section === 'goals' && other.link_id === item.id);
  pair.hidden = !partner;
  if (partner) setText(pair, format(config.strings[item.section === 'goals' ? 'answers_danger' : 'paired_goal'], { text: partner.text }));
  const select = extra.querySelector('[data-action="pair-with"]');
  select.hidden = !(item.section === 'goals' && canChange(config, state, item));
  if (select.hidden) return;
  fillLinkOptions(select, state, item, ['danger'], config.strings.pair_with);
}

function fillLinkOptions(select, state, item, sections, prompt) {
  const options = [...state.items.values()].filter((other) => sections.includes(other.section) && !other.merged_into_id && !other.hidden);
  select.replaceChildren(new Option(prompt, ''), ...options.map((o) => new Option(o.text.slice(0, 70), String(o.id), false, o.id === item.link_id)));
}

function fillLink(extra, item, state, config) {
  const note = extra.querySelector('.link-note');
  const target = ['next_steps', 'next'].includes(item.section) ? state.items.get(item.link_id) : null;
  note.hidden = !target;
  setText(note, target ? format(config.strings.linked_to, { text: target.text }) : '');
}

function fillFamilyView(extra, item, state, config) {
  const view = extra.querySelector('.family-view');
  view.hidden = !item.family_view;
  setText(view.querySelector('.family-view-text'), item.family_view || '');
  const button = extra.querySelector('[data-action="family-view"]');
  button.hidden = !(['danger', 'harm', 'goals', 'worries'].includes(item.section) && !config.display && state.meeting.status === 'live');
}

export function renderStatements(root, state, config) {
  for (const card of root.querySelectorAll('li.item')) {
    const item = state.items.get(Number(card.dataset.itemId));
    if (!item || card.classList.contains('is-editing')) continue;
    let extra = card.querySelector('.item-extra');
    if (!extra) { extra = cloneTemplate('tpl-item-extra'); (card.querySelector('.item-actions') || card.querySelector('.item-meta')).after(extra); }
    fillNextStep(extra, item, state, config);
    fillPair(extra, item, state, config);
    fillLink(extra, item, state, config);
    fillFamilyView(extra, item, state, config);
  }
}

function builderFor(form, config) {
  const section = form.dataset.section;
  if (!config.builders[section] || form.querySelector('.builder')) return;
  const builder = cloneTemplate('tpl-builder');
  const fields = builder.querySelector('.builder-fields');
  for (const [key, label] of config.builders[section]) {
    const id = `part-${section}-${key}`;
    const row = document.createElement('p');
    const labelElement = document.createElement('label');
    labelElement.htmlFor = id;
    labelElement.textContent = label;
    const input = document.createElement('input');
    input.id = id;
    input.name = `part:${key}`;
    input.maxLength = 300;
    row.append(labelElement, input);
    fields.append(row);
  }
  form.querySelector('.add-row').after(builder);
}

/** Add forms of sections with a guided builder get its fields (once, when the page loads). */
export function prepareBuilders(root, config) {
  for (const form of root.querySelectorAll('.add-form')) builderFor(form, config);
}

/** Typing in an add form: the builder writes the sentence into the box as the parts are
 *  filled (the box stays editable, so leaving the guide is just typing in it); in family mode
 *  agency words get a plainer suggestion. */
export function typedInAddForm(config, event) {
  const form = event.target.closest('#map .add-form');
  if (!form) return;
  if (event.target.name?.startsWith('part:')) {
    const parts = readParts(form);
    form.querySelector('textarea').value = composeStatement(config, form.dataset.section, parts);
    form.querySelector('textarea').dispatchEvent(new Event('input', { bubbles: true }));
  }
  if (config.framework.mode === 'family' && event.target.tagName === 'TEXTAREA') showJargon(form, config);
}

/** The status a next step's status button asks for. */
export function nextStatus(app, button) {
  const action = button.dataset.statusAction;
  if (action !== 'reopen') return { agree: 'agreed', done: 'done', drop: 'dropped' }[action];
  return app.state().items.get(itemOf(button)).status === 'done' ? 'agreed' : 'proposed';
}

/** The family's words for an item, asked for; null when the user cancels. */
export function askFamilyView(app, button) {
  const item = app.state().items.get(itemOf(button));
  const text = window.prompt(app.config.strings.family_view_prompt, item.family_view || '');
  return text === null ? null : { item_id: item.id, text: text.trim() || null };
}

/** Who and by when, then the link if it changed: two ops, the second only if the first is saved. */
export async function saveNextStep(app, form, send) {
  const itemId = itemOf(form);
  const ack = await send(app, 'set_next_step', { item_id: itemId, owner: form.owner.value || null, due_on: form.due_on.value || null });
  const item = app.state().items.get(itemId);
  const linkId = form.link.value ? Number(form.link.value) : null;
  if (ack.ok && item && linkId !== (item.link_id ?? null)) await send(app, 'link_items', { item_id: itemId, link_id: linkId });
  if (ack.ok) form.remove();
}

function readParts(form) {
  const parts = {};
  for (const input of form.querySelectorAll('[name^="part:"]')) if (input.value.trim()) parts[input.name.slice(5)] = input.value.trim();
  return parts;
}

/** The parts of a builder form being submitted (the add form reads them through this). */
export function partsOf(form) {
  const parts = readParts(form);
  return Object.keys(parts).length ? parts : null;
}

export function clearParts(form) {
  for (const input of form.querySelectorAll('[name^="part:"]')) input.value = '';
}

function itemOf(element) {
  return Number(element.closest('li.item').dataset.itemId);
}

export function openNextStepForm(app, button) {
  const card = button.closest('li.item');
  const item = app.state().items.get(itemOf(button));
  if (card.querySelector('.next-step-form')) return;
  const form = cloneTemplate('tpl-next-step-form');
  form.owner.value = item.owner || '';
  form.due_on.value = item.due_on || '';
  fillLinkOptions(form.link, app.state(), item, LINK_TARGETS[item.section] || [], app.config.strings.link_with);
  card.querySelector('.item-extra').append(form);
  form.owner.focus();
}

function showJargon(form, config) {
  let hint = form.querySelector('.jargon');
  if (!hint) { hint = document.createElement('p'); hint.className = 'jargon'; hint.setAttribute('aria-live', 'polite'); form.append(hint); }
  const found = jargonIn(config.jargon, form.querySelector('textarea').value);
  hint.hidden = !found.length;
  setText(hint, found.map(([term, plain]) => format(config.strings.jargon_hint, { term, plain })).join(' '));
}

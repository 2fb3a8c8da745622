// Danger statements, safety goals and next steps on the cards: the guided builder, pairs,
// the family's view, who / by when / status, and plain-language hints in family mode.
import { cloneTemplate, format, formatDate, setText } from '../lib/dom.js';
import { ackMessage } from './editing.js';
import { leads } from './meeting.js';

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

/** Agency words in a text, with plainer ones (family mode only). */
export function jargonIn(config, text) {
  return Object.entries(config.jargon || {}).filter(([term]) => {
    const flags = term === term.toUpperCase() ? 'u' : 'iu';
    return new RegExp(`(?<![\\p{L}\\p{N}])${term.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}\\p{N}])`, flags).test(text);
  });
}

function canEdit(config, state, item) {
  return !config.display && state.meeting.status === 'live' && (config.is_staff || item.mine || item.author.id === state.you || (item.scribe_id != null && item.scribe_id === state.you));
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
  const editable = canEdit(config, state, item);
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
  select.hidden = !(item.section === 'goals' && canEdit(config, state, item));
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

export function bindStatements(root, app) {
  const { config } = app;
  for (const form of root.querySelectorAll('.add-form')) builderFor(form, config);
  const send = async (type, payload) => {
    const ack = await app.send(type, payload);
    if (!ack.ok) app.alert(ackMessage(config, ack));
    return ack;
  };

  // The builder writes the sentence into the box as the parts are filled; the box stays
  // editable, so leaving the guide for free text is just typing in it.
  root.addEventListener('input', (event) => {
    const form = event.target.closest('.add-form');
    if (!form) return;
    if (event.target.name?.startsWith('part:')) {
      const parts = readParts(form);
      form.querySelector('textarea').value = composeStatement(config, form.dataset.section, parts);
      form.querySelector('textarea').dispatchEvent(new Event('input', { bubbles: true }));
    }
    if (config.framework.mode === 'family' && event.target.tagName === 'TEXTAREA') showJargon(form, config);
  });

  root.addEventListener('change', (event) => {
    const select = event.target.closest('[data-action="pair-with"]');
    if (select) send('link_items', { item_id: itemOf(select), link_id: select.value ? Number(select.value) : null });
  });

  root.addEventListener('click', async (event) => {
    const button = event.target.closest('button');
    if (!button) return;
    const statusAction = button.dataset.statusAction;
    if (statusAction) {
      const status = { agree: 'agreed', done: 'done', drop: 'dropped', reopen: statusAction === 'reopen' && app.state().items.get(itemOf(button)).status === 'done' ? 'agreed' : 'proposed' }[statusAction];
      send('set_next_step_status', { item_id: itemOf(button), status });
    }
    if (button.dataset.action === 'edit-next-step') openNextStepForm(button.closest('li.item'), app.state().items.get(itemOf(button)), app);
    if (button.dataset.action === 'family-view') {
      const item = app.state().items.get(itemOf(button));
      const text = window.prompt(config.strings.family_view_prompt, item.family_view || '');
      if (text !== null) send('set_family_view', { item_id: item.id, text: text.trim() || null });
    }
  });

  root.addEventListener('submit', async (event) => {
    const form = event.target.closest('.next-step-form');
    if (!form) return;
    event.preventDefault();
    const itemId = itemOf(form);
    const ack = await send('set_next_step', { item_id: itemId, owner: form.owner.value || null, due_on: form.due_on.value || null });
    const item = app.state().items.get(itemId);
    const linkId = form.link.value ? Number(form.link.value) : null;
    if (ack.ok && item && linkId !== (item.link_id ?? null)) await send('link_items', { item_id: itemId, link_id: linkId });
    if (ack.ok) form.remove();
  });
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

function openNextStepForm(card, item, app) {
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
  const found = jargonIn(config, form.querySelector('textarea').value);
  hint.hidden = !found.length;
  setText(hint, found.map(([term, plain]) => format(config.strings.jargon_hint, { term, plain })).join(' '));
}

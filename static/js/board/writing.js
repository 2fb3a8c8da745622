// Writing on the board: the add box, the card's editor and deleting, and what happens to the words.
// A new item is on the board at once and the box is free for the next; an edit shows at once
// and the editor closes. Words the server refuses are never lost: they come back into the
// box or the editor, with the reason (a conflict shows both versions until the user decides).
import { cloneTemplate, format } from '../lib/dom.js';
import { showComposer, writtenFor } from './composer.js';
import { clearParts, partsOf } from './statements.js';

export function textProblem(config, text) {
  const trimmed = text.trim();
  if (!trimmed) return config.strings.empty;
  if (trimmed.length > config.text_max) {
    return format(config.strings.too_long, { count: trimmed.length, max: config.text_max });
  }
  return null;
}

function showError(form, message) {
  const error = form.querySelector('.form-error');
  error.hidden = !message;
  error.textContent = message || '';
  form.querySelector('textarea').setAttribute('aria-invalid', message ? 'true' : 'false');
}

export function updateCounter(form, config) {
  const textarea = form.querySelector('textarea');
  const length = textarea.value.trim().length;
  const counter = form.querySelector('.counter');
  counter.textContent = length > config.text_max * 0.8 ? `${length} / ${config.text_max}` : '';
  counter.classList.toggle('over', length > config.text_max);
  if (length <= config.text_max && form.querySelector('.form-error').textContent.startsWith(config.strings.too_long.slice(0, 8))) {
    showError(form, null);
  }
  textarea.style.height = 'auto';
  textarea.style.height = `${Math.min(textarea.scrollHeight, 240)}px`;
}

export function ackMessage(config, ack) {
  return format(config.strings.error_generic, { message: ack.error.message });
}

function openForm(card, item, config) {
  const open = card.querySelector('.edit-form');
  if (open) { open.querySelector('textarea').focus(); return open; } // one editor per card
  const form = cloneTemplate('tpl-edit');
  const textarea = form.querySelector('textarea');
  textarea.value = item.text;
  const select = form.querySelector('select[name="view"]');
  for (const [key, label] of Object.entries(config.views)) {
    const option = document.createElement('option');
    option.value = key;
    option.textContent = label;
    select.append(option);
  }
  select.value = item.view;
  card.classList.add('is-editing');
  card.dataset.version = String(item.version);
  card.append(form);
  textarea.focus();
  textarea.setSelectionRange(textarea.value.length, textarea.value.length);
  updateCounter(form, config);
  return form;
}

function closeForm(card) {
  card.querySelector('.edit-form')?.remove();
  card.classList.remove('is-editing', 'is-stale', 'is-gone');
}

function showConflict(form, theirs) {
  const panel = form.querySelector('.conflict');
  panel.hidden = false;
  panel.querySelector('.conflict-theirs').textContent = theirs.text;
}

/** The add box after a refusal: the refused words first, then whatever was typed since. */
export function wordsBack(sent, typedSince) {
  return typedSince.trim() ? `${sent}\n${typedSince}` : sent;
}

/** Opening and closing an editor tells the room (a hint that someone is editing, not a lock). */
export function openEditor(app, card, item) {
  if (!card.classList.contains('is-editing')) app.notify('editing', { item_id: item.id });
  return openForm(card, item, app.config);
}

export function closeEditor(app, card) {
  if (card.classList.contains('is-editing')) app.notify('editing', { done_item_id: Number(card.dataset.itemId) });
  app.release(`edit-${card.dataset.itemId}`);
  closeForm(card);
}

function putBack(form, text, message) {
  showComposer(form); // words given back are never left in a closed box
  const textarea = form.querySelector('textarea');
  textarea.value = wordsBack(text, textarea.value);
  textarea.dispatchEvent(new Event('input', { bubbles: true }));
  showError(form, message);
}

/** The add_item op an add box asks for, or the problem with what is in it. */
export function addItemOp(form, config) {
  const text = form.querySelector('textarea').value;
  const problem = textProblem(config, text);
  if (problem) return { problem };
  const parts = partsOf(form);
  return {
    payload: {
      section: form.dataset.section, text, view: form.querySelector('select[name="view"]').value,
      ...(parts ? { parts } : {}),
      ...(form.querySelector('[name="anonymous"]')?.checked ? { anonymous: true } : {}),
      ...writtenFor(form),
    },
  };
}

export async function addItem(app, form) {
  const textarea = form.querySelector('textarea');
  const { problem, payload } = addItemOp(form, app.config);
  if (problem) { showError(form, problem); textarea.focus(); return; }
  // the item is on the board now (marked not saved yet): the box is free for the next one
  textarea.value = '';
  clearParts(form);
  // as if typed: hints about the text just sent (plain-language, family mode) go away
  textarea.dispatchEvent(new Event('input', { bubbles: true }));
  showError(form, null);
  const ack = await app.send('add_item', payload);
  if (!ack.ok) putBack(form, payload.text, ackMessage(app.config, ack));
}

export async function saveEdit(app, card, form, baseVersion) {
  const { config } = app;
  const root = card.closest('#map') ?? document;
  const textarea = form.querySelector('textarea');
  const problem = textProblem(config, textarea.value);
  if (problem) { showError(form, problem); return; }
  const itemId = Number(card.dataset.itemId);
  const section = card.closest('ul.items')?.dataset.section;
  const text = textarea.value;
  const view = form.querySelector('select[name="view"]').value;
  // the card shows the new words at once; the editor comes back only if the server refuses
  const hadFocus = card.contains(document.activeElement);
  closeEditor(app, card);
  const sending = app.send('edit_item', { item_id: itemId, text, base_version: baseVersion, view });
  if (hadFocus && card.isConnected) card.focus();
  const ack = await sending;
  if (ack.ok) return;
  const item = app.state().items.get(itemId);
  const again = root.querySelector(`li.item[data-item-id="${itemId}"]`);
  if (!item || !again) {
    // the item is gone (deleted meanwhile): the words go to its section's add box
    const addForm = root.querySelector(`.add-form[data-section="${section}"]`);
    if (addForm) putBack(addForm, text, `${ackMessage(config, ack)} ${config.strings.text_put_back}`);
    else app.alert(ackMessage(config, ack));
    return;
  }
  const reopened = openEditor(app, again, { ...item, text, view, version: baseVersion });
  if (ack.error.code === 'conflict') {
    app.hold(`edit-${itemId}`); // the user's words are not saved yet
    reopened.dataset.theirVersion = String(ack.error.item.version);
    reopened.dataset.theirText = ack.error.item.text;
    showConflict(reopened, ack.error.item);
    return;
  }
  showError(reopened, ackMessage(config, ack));
}

/** Leave the editor without saving (Cancel, Escape, or "keep theirs" after a conflict). */
export function leaveEditor(app, card) {
  closeEditor(app, card);
  app.render();
  card.focus();
}

/** "Keep mine" after a conflict: the user's words again, over the other person's version. */
export function keepMine(app, card, form) {
  form.querySelector('.conflict').hidden = true;
  card.dataset.version = form.dataset.theirVersion;
  saveEdit(app, card, form, Number(form.dataset.theirVersion));
}

/** Delete a card: it goes at once, keyboard focus stays in its section; a refusal brings it back. */
export async function deleteItem(app, button) {
  const card = button.closest('li.item');
  const item = app.state().items.get(Number(card.dataset.itemId));
  if (!item) return;
  // asks nothing: the card goes at once, and "Undo" is offered for a few seconds
  const neighbour = card.nextElementSibling || card.previousElementSibling;
  const sent = app.send('delete_item', { item_id: item.id });
  if (!card.isConnected && (!document.activeElement || document.activeElement === document.body)) {
    // keep the keyboard user in the same section
    // (its open box, else its "+ Add")
    const section = document.querySelector(`#map .add-form[data-section="${item.section}"]:not([hidden]) textarea`)
      ?? document.querySelector(`#map section[data-section="${item.section}"] [data-action="open-composer"]`);
    (neighbour?.isConnected ? neighbour : section)?.focus();
  }
  const ack = await sent;
  if (!ack.ok) app.alert(ackMessage(app.config, ack)); // and comes back: the server said no
  else app.offerUndo?.(app.config.strings.card_deleted);
}

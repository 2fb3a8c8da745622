// Writing on the board: the add box and the card's editor, and what happens to the words.
// A new item is on the board at once and the box is free for the next; an edit shows at once
// and the editor closes. Words the server refuses are never lost: they come back into the
// box or the editor, with the reason (a conflict shows both versions until the user decides).
import { ackMessage, closeEditor as closeForm, openEditor as openForm, showConflict, showError, textProblem } from './editing.js';
import { clearParts, partsOf } from './statements.js';

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

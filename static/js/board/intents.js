// What the user asks for, by mouse, touch or keyboard, turned into operations. Each shows on
// the board at once (main.js folds it over the confirmed state); a refusal takes it back and
// gives the user their words again.
import Sortable from '/static/vendor/sortable.esm.js';
import { format } from '../lib/dom.js';
import { ackMessage, closeEditor as closeForm, openEditor as openForm, showConflict, showError, textProblem, updateCounter } from './editing.js';
import { savedAfterId } from './optimistic.js';
import { sectionItems } from './state.js';
import { writtenFor } from './composer.js';
import { clearParts, partsOf } from './statements.js';

export function bindBoard(root, app, announce = () => {}) {
  const { config } = app;
  // Opening and closing an editor tells the room (a hint that someone is editing, not a lock).
  const openEditor = (card, item) => {
    if (!card.classList.contains('is-editing')) app.notify('editing', { item_id: item.id });
    return openForm(card, item, config);
  };
  const closeEditor = (card) => {
    if (card.classList.contains('is-editing')) app.notify('editing', { done_item_id: Number(card.dataset.itemId) });
    app.release(`edit-${card.dataset.itemId}`);
    closeForm(card);
  };

  /** Words the server refused go back into a section's add box (before anything typed
   *  since), with the reason: they are never lost. */
  function putBack(form, text, message) {
    const textarea = form.querySelector('textarea');
    textarea.value = textarea.value.trim() ? `${text}\n${textarea.value}` : text;
    textarea.dispatchEvent(new Event('input', { bubbles: true }));
    showError(form, message);
  }

  async function addItem(form) {
    const textarea = form.querySelector('textarea');
    const problem = textProblem(config, textarea.value);
    if (problem) { showError(form, problem); textarea.focus(); return; }
    const sentText = textarea.value;
    const parts = partsOf(form);
    const payload = {
      section: form.dataset.section, text: sentText, view: form.querySelector('select[name="view"]').value,
      ...(parts ? { parts } : {}),
      ...(form.querySelector('[name="anonymous"]')?.checked ? { anonymous: true } : {}),
      ...writtenFor(form),
    };
    // the item is on the board now (marked not saved yet): the box is free for the next one
    textarea.value = '';
    clearParts(form);
    // as if typed: hints about the text just sent (plain-language, family mode) go away
    textarea.dispatchEvent(new Event('input', { bubbles: true }));
    showError(form, null);
    const ack = await app.send('add_item', payload);
    if (!ack.ok) putBack(form, sentText, ackMessage(config, ack));
  }

  async function saveEdit(card, form, baseVersion) {
    const textarea = form.querySelector('textarea');
    const problem = textProblem(config, textarea.value);
    if (problem) { showError(form, problem); return; }
    const itemId = Number(card.dataset.itemId);
    const section = card.closest('ul.items')?.dataset.section;
    const text = textarea.value;
    const view = form.querySelector('select[name="view"]').value;
    // the card shows the new words at once; the editor comes back only if the server refuses
    const hadFocus = card.contains(document.activeElement);
    closeEditor(card);
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
    const reopened = openEditor(again, { ...item, text, view, version: baseVersion });
    if (ack.error.code === 'conflict') {
      app.hold(`edit-${itemId}`); // the user's words are not saved yet
      reopened.dataset.theirVersion = String(ack.error.item.version);
      reopened.dataset.theirText = ack.error.item.text;
      showConflict(reopened, ack.error.item);
      return;
    }
    showError(reopened, ackMessage(config, ack));
  }

  async function move(itemId, section, afterId) {
    const ack = await app.send('move_item', { item_id: itemId, section, after_id: afterId });
    if (!ack.ok) app.alert(ackMessage(config, ack));
  }

  /** Moving a card drops keyboard focus (or replaces the card): put focus back on its control. */
  function refocus(itemId, actions) {
    const card = root.querySelector(`li.item[data-item-id="${itemId}"]`);
    const active = document.activeElement;
    if (!card || (active && active !== document.body && !card.contains(active))) return;
    card.focus();
    const target = actions.map((action) => card.querySelector(`[data-action="${action}"]`))
      .find((control) => control && !control.disabled);
    if (target) target.focus();
  }

  /** Say where a card the user moved now is ("Grey areas, 2 of 3"): their own change,
   *  said once here (others' changes are told by main.js). */
  function tellPlace(itemId) {
    const item = app.state().items.get(itemId);
    if (!item) return;
    const items = sectionItems(app.state(), item.section);
    const title = config.framework.sections.find((s) => s.key === item.section)?.title ?? '';
    announce(format(config.strings.moved_place, { section: title, num: items.findIndex((i) => i.id === itemId) + 1, count: items.length }));
  }

  async function moveBy(card, delta, focusCard = false) {
    const item = app.state().items.get(Number(card.dataset.itemId));
    const items = sectionItems(app.state(), item.section);
    const index = items.findIndex((other) => other.id === item.id) + delta;
    if (index < 0 || index >= items.length) return;
    const order = focusCard ? [] : delta < 0 ? ['up', 'down'] : ['down', 'up'];
    const sent = move(item.id, item.section, savedAfterId(app.state(), item.section, item.id, index));
    refocus(item.id, order); // the card has moved already
    await sent;
    refocus(item.id, order); // and again, should the server have placed it elsewhere
    tellPlace(item.id);
  }

  /** Alt+← / Alt+→: to the end of the section before / after it on the map. */
  async function moveToNeighbour(card, delta) {
    const itemId = Number(card.dataset.itemId);
    const item = app.state().items.get(itemId);
    const keys = [...root.querySelectorAll('ul.items')].map((list) => list.dataset.section);
    const section = keys[keys.indexOf(item.section) + delta];
    if (!section) return;
    const sent = move(itemId, section, savedAfterId(app.state(), section, itemId, Infinity));
    refocus(itemId, []);
    await sent;
    refocus(itemId, []);
    tellPlace(itemId);
  }

  root.addEventListener('submit', (event) => {
    event.preventDefault();
    const form = event.target;
    if (form.classList.contains('add-form')) addItem(form);
    if (form.classList.contains('edit-form')) saveEdit(form.closest('.item'), form, Number(form.closest('.item').dataset.version));
  });

  root.addEventListener('keydown', (event) => {
    // Alt+arrows on a card (or one of its buttons) move it; not in its editor or a list
    const arrows = { ArrowUp: -1, ArrowDown: 1, ArrowLeft: -1, ArrowRight: 1 };
    const held = event.target.closest('li.item');
    if (event.altKey && !event.ctrlKey && !event.metaKey && !event.shiftKey && arrows[event.key] && held
        && !held.classList.contains('is-editing') && !event.target.matches('select, textarea, input')
        && !held.querySelector('.item-actions')?.hidden) {
      event.preventDefault(); // Alt+← would otherwise go back a page
      if (event.key === 'ArrowUp' || event.key === 'ArrowDown') moveBy(held, arrows[event.key], true);
      else moveToNeighbour(held, arrows[event.key]);
      return;
    }
    const textarea = event.target.closest('textarea');
    if (textarea && event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      textarea.form.requestSubmit();
    }
    if (textarea && event.key === 'Escape' && textarea.closest('.edit-form')) {
      const card = textarea.closest('.item');
      closeEditor(card); app.render(); card.focus();
    }
  });

  root.addEventListener('input', (event) => {
    const form = event.target.closest('form');
    if (form && event.target.matches('textarea')) updateCounter(form, config);
  });

  root.addEventListener('change', (event) => {
    if (event.target.dataset.action !== 'move-to') return;
    const card = event.target.closest('.item');
    const section = event.target.value;
    const itemId = Number(card.dataset.itemId);
    const sent = move(itemId, section, savedAfterId(app.state(), section, itemId, Infinity));
    refocus(itemId, ['move-to']);
    sent.then(() => { refocus(itemId, ['move-to']); tellPlace(itemId); });
  });

  root.addEventListener('click', async (event) => {
    const button = event.target.closest('button[data-action]');
    if (!button) return;
    const card = button.closest('.item');
    const item = card && app.state().items.get(Number(card.dataset.itemId));
    const action = button.dataset.action;
    if (action === 'edit' && item) openEditor(card, item);
    if (action === 'up') moveBy(card, -1);
    if (action === 'down') moveBy(card, +1);
    if (action === 'delete' && item) {
      // asks nothing: the card goes at once, and "Undo" is offered for a few seconds
      const neighbour = card.nextElementSibling || card.previousElementSibling;
      const sent = app.send('delete_item', { item_id: item.id });
      if (!card.isConnected && (!document.activeElement || document.activeElement === document.body)) {
        // keep the keyboard user in the same section
        const section = root.querySelector(`section[data-section="${item.section}"] [data-action="open-composer"]`);
        (neighbour?.isConnected ? neighbour : section)?.focus();
      }
      const ack = await sent;
      if (!ack.ok) app.alert(ackMessage(config, ack)); // and comes back: the server said no
      else app.offerUndo(config.strings.card_deleted);
    }
    if (action === 'cancel-edit') { closeEditor(card); app.render(); card.focus(); }
    if (action === 'keep-theirs') { closeEditor(card); app.render(); card.focus(); }
    if (action === 'keep-mine') {
      const form = button.closest('.edit-form');
      form.querySelector('.conflict').hidden = true;
      card.dataset.version = form.dataset.theirVersion;
      saveEdit(card, form, Number(form.dataset.theirVersion));
    }
  });

  for (const list of root.querySelectorAll('ul.items')) {
    Sortable.create(list, {
      group: 'board', animation: 120, delay: 150, delayOnTouchOnly: true,
      filter: 'button, select, textarea, input, label, .is-editing, .is-provisional', preventOnFilter: false,
      onEnd: (event) => {
        const itemId = Number(event.item.dataset.itemId);
        const section = event.to.dataset.section;
        if (event.from === event.to && event.oldIndex === event.newIndex) return;
        move(itemId, section, savedAfterId(app.state(), section, itemId, event.newIndex));
      },
    });
  }
}

export function bindPeople(list, app) {
  if (!list) return;
  list.addEventListener('click', async (event) => {
    const button = event.target.closest('[data-action="remove-person"]');
    if (!button) return;
    if (!window.confirm(format(app.config.strings.confirm_remove, { name: button.dataset.name }))) return;
    const ack = await app.send('remove_participant', { participant_id: Number(button.dataset.participantId) });
    if (!ack.ok) app.alert(ackMessage(app.config, ack));
  });
}

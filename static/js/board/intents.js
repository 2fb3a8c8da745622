// Intents: the one table of what a user can do on the board, by mouse, touch or keyboard,
// and the operation each sends. Listeners are delegated from the page; a control names its
// action with data-action (a button's click, a select's change) or is found by its form.
// A new intent is one row here (and, for a new op, its predictor in optimistic.js).
// Each op shows at once (reconcile.js) and a refusal gives the user their words back.
import { format } from '../lib/dom.js';
import { addRoomPerson, chooseWriter, closeComposer, openComposer } from './composer.js';
import { recordConsent, shareFamilyItems } from './family_time.js';
import { cancelPerson, editPerson, submitPerson, takeOffList } from './involved.js';
import { closeChooser, openChooser, savePeople } from './item_people.js';
import { toggleMeaning } from './jargon.js';
import { agendaRow, followStep, you } from './meeting.js';
import { enableDragging, moveBy, moveTo, moveToNeighbour } from './moving.js';
import { bringPreMeetingInput } from './pre_meeting.js';
import { openRound, rate, scaleAction } from './scale.js';
import { askFamilyView, nextStatus, openNextStepForm, saveNextStep, typedInAddForm } from './statements.js';
import { undoKey } from './undo.js';
import { toggleKeysHelp } from './undo_controls.js';
import { answerGuest } from './waiting.js';
import { ackMessage, addItem, deleteItem, keepMine, leaveEditor, openEditor, saveEdit, updateCounter } from './writing.js';

/** Send an op; a refusal is said in the status line (its control has nothing to give back). */
async function send(app, type, payload) {
  const ack = await app.send(type, payload);
  if (!ack.ok) app.alert(ackMessage(app.config, ack));
  return ack;
}

const cardOf = (control) => control.closest('li.item');
const itemIdOf = (control) => Number(cardOf(control).dataset.itemId);
const sectionOf = (control) => control.closest('[data-section]').dataset.section;
const pressed = (button) => button.getAttribute('aria-pressed') === 'true';
const stepIndex = (app) => app.state().meeting.step_index ?? -1;

function confirmed(app, key, name) {
  return window.confirm(format(app.config.strings[key], { name }));
}

/** Clicks on button[data-action], by action. The step shown is already the predicted one, so a
 *  second "next" before the first is answered names the step after it, as the facilitator sees it. */
const CLICK = {
  jargon: (app, b) => toggleMeaning(document, b, app.config.strings.jargon_hint),
  edit: (app, b) => { const item = app.state().items.get(itemIdOf(b)); if (item) openEditor(app, cardOf(b), item); },
  up: (app, b) => moveBy(app, cardOf(b), -1),
  down: (app, b) => moveBy(app, cardOf(b), +1),
  delete: deleteItem,
  'open-composer': (app, b) => openComposer(document.getElementById('map'), b.closest('section').querySelector('.add-form'), app.state()),
  'close-composer': (app, b) => closeComposer(b.closest('.add-form')),
  undo: (app) => app.undo(),
  redo: (app) => app.redo(),
  'cancel-edit': (app, b) => leaveEditor(app, cardOf(b)),
  'keep-theirs': (app, b) => leaveEditor(app, cardOf(b)),
  'keep-mine': (app, b) => keepMine(app, cardOf(b), b.closest('.edit-form')),
  'step-next': (app) => send(app, 'go_to_step', { index: stepIndex(app) + 1 }),
  'step-prev': (app) => send(app, 'go_to_step', { index: Math.max(0, stepIndex(app) - 1) }),
  'add-time': (app) => send(app, 'add_time', { minutes: 2 }),
  'mute-chime': (app, b) => { app.config.chime.muted = !app.config.chime.muted; b.setAttribute('aria-pressed', String(app.config.chime.muted)); },
  follow: (app) => followStep(app.state(), app.config),
  hand: (app) => send(app, 'set_signal', { signal: 'hand', on: !you(app.state())?.hand_raised }),
  ready: (app) => send(app, 'set_signal', { signal: 'ready', on: !you(app.state())?.ready }),
  'clear-signals': (app) => send(app, 'clear_signals', {}),
  'lock-section': (app, b) => send(app, 'lock_section', { section: sectionOf(b), locked: !pressed(b) }),
  'collect-privately': (app, b) => send(app, 'collect_privately', { section: sectionOf(b), on: !pressed(b) }),
  spotlight: (app, b) => send(app, 'spotlight', { item_id: app.state().meeting.spotlight_item_id === itemIdOf(b) ? null : itemIdOf(b) }),
  'scale-danger': (app, b) => send(app, 'open_scale_round', { danger_item_id: itemIdOf(b), anonymous: false }),
  unmerge: (app, b) => send(app, 'unmerge_item', { item_id: Number(b.dataset.itemId) }),
  'agenda-add': () => {
    const form = document.querySelector('[data-agenda-form]');
    form.dataset.dirty = '1';
    const row = agendaRow();
    form.querySelector('[data-agenda-rows]').append(row);
    row.querySelector('input').focus();
  },
  'agenda-remove': (app, b) => { b.closest('form').dataset.dirty = '1'; b.closest('.agenda-row').remove(); },
  'family-time': (app, b) => send(app, 'set_family_time', { on: !pressed(b) }),
  'share-family': shareFamilyItems,
  'close-meeting': (app) => { if (window.confirm(app.config.strings.confirm_close)) send(app, 'close_meeting', {}); },
  'make-facilitator': (app, b) => {
    if (confirmed(app, 'confirm_hand_over', b.dataset.name)) send(app, 'hand_over', { participant_id: Number(b.dataset.participantId) });
  },
  'remove-person': (app, b) => {
    if (confirmed(app, 'confirm_remove', b.dataset.name)) send(app, 'remove_participant', { participant_id: Number(b.dataset.participantId) });
  },
  admit: answerGuest,
  refuse: answerGuest,
  'next-step-status': (app, b) => send(app, 'set_next_step_status', { item_id: itemIdOf(b), status: nextStatus(app, b) }),
  'edit-next-step': openNextStepForm,
  'family-view': (app, b) => { const view = askFamilyView(app, b); if (view) send(app, 'set_family_view', view); },
  'name-people': openChooser,
  'cancel-people': (app, b) => closeChooser(cardOf(b)),
  'save-people': savePeople,
  'edit-person': editPerson,
  'take-off-list': takeOffList,
  'cancel-person': cancelPerson,
  'scale-panel': scaleAction,
};

/** The action a button names: data-action, or the older names of two panels. */
function actionOf(button) {
  if (button.dataset.statusAction) return 'next-step-status';
  if (button.dataset.scaleAction) return 'scale-panel';
  return button.dataset.action;
}

/** Changes of a select or checkbox, by selector. */
const CHANGE = [
  // "Written for" someone in the room: their view comes with them (whose view is never
  // carried over from one section's box to another's)
  ['#map select[name="on_behalf_of"]', chooseWriter],
  ['#map [data-action="move-to"]', moveTo],
  ['[data-write-policy]', (app, s) => send(app, 'set_write_policy', { policy: s.value })],
  ['[data-show-initials]', (app, box) => send(app, 'set_show_initials', { on: box.checked })],
  ['[data-action="set-role"]', (app, s) => send(app, 'set_role', { participant_id: Number(s.dataset.participantId), role: s.value })],
  ['[data-action="merge-into"]', (app, s) => { if (s.value) send(app, 'merge_items', { item_id: itemIdOf(s), into_id: Number(s.value) }); }],
  ['[data-action="pair-with"]', (app, s) => send(app, 'link_items', { item_id: itemIdOf(s), link_id: s.value ? Number(s.value) : null })],
  ['[data-scale="rate-form"] *', (app, control) => { control.closest('form').dataset.dirty = 'true'; }], // keep what is being chosen
];

function readAgenda(form) {
  return [...form.querySelectorAll('.agenda-row')].map((row) => ({
    ...JSON.parse(row.dataset.step || '{}'),
    title: row.querySelector('[name="title"]').value,
    minutes: Number(row.querySelector('[name="minutes"]').value),
  }));
}

async function setAgenda(app, form) {
  const ack = await app.send('set_agenda', { steps: readAgenda(form) });
  const error = form.querySelector('.form-error');
  error.hidden = ack.ok;
  if (!ack.ok) { error.textContent = ackMessage(app.config, ack); return; }
  delete form.dataset.dirty;
  app.render();
}

async function setQuestion(app, form) {
  const input = form.querySelector('textarea');
  const ack = await send(app, 'set_question', { text: input.value });
  if (ack.ok) delete input.dataset.dirty;
}

/** Form submissions, by selector (the page never reloads for them). */
const SUBMIT = [
  ['#map .add-form', addItem],
  ['#map .edit-form', (app, form) => saveEdit(app, form.closest('.item'), form, Number(form.closest('.item').dataset.version))],
  ['[data-agenda-form]', setAgenda],
  ['[data-question-form]', setQuestion],
  ['#map .next-step-form', (app, form) => saveNextStep(app, form, send)],
  ['#person-form', submitPerson],
  ['#room-person-form', addRoomPerson],
  ['[data-scale="open-form"]', openRound],
  ['[data-scale="rate-form"]', rate],
  ['#before-meeting .before-bring', bringPreMeetingInput],
  ['[data-consent-form]', recordConsent],
];

const ARROWS = { ArrowUp: -1, ArrowDown: 1, ArrowLeft: -1, ArrowRight: 1 };
const alone = (event) => event.altKey && !event.ctrlKey && !event.metaKey && !event.shiftKey;

/** Keys: every row whose test matches acts, in order. */
const KEYS = [
  // Alt+arrows on a card (or one of its buttons) move it; not in its editor or a list
  [(e) => alone(e) && ARROWS[e.key] && e.target.closest('#map li.item:not(.is-editing)') && !e.target.matches('select, textarea, input')
    && !e.target.closest('li.item').querySelector('.item-actions')?.hidden,
  (app, e) => {
    e.preventDefault(); // Alt+← would otherwise go back a page
    const card = e.target.closest('li.item');
    if (e.key === 'ArrowUp' || e.key === 'ArrowDown') moveBy(app, card, ARROWS[e.key], true);
    else moveToNeighbour(app, card, ARROWS[e.key]);
  }],
  // Enter sends a card's words (Shift+Enter: a new line)
  [(e) => e.key === 'Enter' && !e.shiftKey && !e.isComposing && e.target.closest('#map textarea'),
    (app, e) => { e.preventDefault(); e.target.form.requestSubmit(); }],
  [(e) => e.key === 'Escape' && e.target.closest('#map .edit-form textarea'), (app, e) => leaveEditor(app, e.target.closest('.item'))],
  [(e) => e.key === 'Escape' && !e.isComposing && e.target.closest('#map .add-form'), (app, e) => { e.preventDefault(); closeComposer(e.target.closest('.add-form')); }],
  // Ctrl+Z / Ctrl+Shift+Z (or Ctrl+Y) outside a box: undo or redo one's own last change
  [(e) => undoKey(e), (app, e) => { e.preventDefault(); app[undoKey(e)](); }],
  [(e) => e.key === '?' && !e.ctrlKey && !e.metaKey && !e.altKey && !e.target.matches('textarea, input, select'), (app, e) => { e.preventDefault(); toggleKeysHelp(); }],
  [(e) => e.key === 'Escape' && e.target.closest('.people-chooser'), (app, e) => closeChooser(e.target.closest('li.item'))],
  [(e) => e.key === 'Escape' && e.target.closest('#person-form[data-person-id]'), (app) => cancelPerson(app)],
  // Escape closes the open panel (facilitator controls, keyboard keys, a section's help)
  // and puts focus back on what opened it; an editor's Escape is the editor's.
  [(e) => e.key === 'Escape' && e.target.closest('details[open]') && !e.target.closest('.edit-form'), (app, e) => {
    const panel = e.target.closest('details[open]');
    panel.open = false;
    panel.querySelector('summary')?.focus();
  }],
];

/** What typing does besides typing: the length counter, and forms that keep what was typed. */
function typed(app, event) {
  const form = event.target.closest('form');
  if (form && event.target.matches('#map textarea')) updateCounter(form, app.config);
  const kept = event.target.closest('[data-agenda-form], [data-question-form]');
  if (kept) (kept.matches('[data-question-form]') ? event.target : kept).dataset.dirty = '1';
  if (event.target.closest('[data-scale="rate-form"]')) event.target.closest('form').dataset.dirty = 'true';
  typedInAddForm(app.config, event);
}

export function bindIntents(app) {
  document.addEventListener('click', (event) => {
    const button = event.target.closest('button[data-action], button[data-status-action], button[data-scale-action]');
    const action = button && actionOf(button);
    if (action && Object.hasOwn(CLICK, action)) CLICK[action](app, button, event);
  });
  document.addEventListener('change', (event) => {
    for (const [selector, run] of CHANGE) if (event.target.matches(selector)) run(app, event.target, event);
  });
  document.addEventListener('submit', (event) => {
    const form = event.target;
    if (form.closest('#map, #scale')) event.preventDefault();
    const row = SUBMIT.find(([selector]) => form.matches(selector));
    if (!row) return;
    event.preventDefault();
    row[1](app, form, event);
  });
  document.addEventListener('keydown', (event) => {
    if (!(event.target instanceof Element)) return;
    for (const [matches, run] of KEYS) if (matches(event)) run(app, event);
  });
  document.addEventListener('input', (event) => typed(app, event));
  enableDragging(app);
}

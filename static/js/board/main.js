// The live board: wires the socket, the reducer, the view and the intents.
// Two states: `confirmed` is fed only with the server's messages, in revision order; what
// is shown is this client's pending operations folded over it (optimistic.js), worked out
// again whenever either changes.
import { format, readConfig } from '../lib/dom.js';
import { announcer, firstWords, stepLength, timerMessage } from './announce.js';
import { newOpId, openMeeting } from '../lib/socket.js';
import { bindComposer, bindRoomPeople, renderRoomPeople, renderWriters } from './composer.js';
import { bindBoard, bindPeople } from './intents.js';
import { bindInvolved, renderInvolved } from './involved.js';
import { bindItemPeople, renderItemPeople } from './item_people.js';
import { followStep, inOwnLanguage, renderMeeting, renderTimer } from './meeting.js';
import { bindMeeting } from './meeting_intents.js';
import { acknowledged, applied, predict, predicts, queue, replacedId } from './optimistic.js';
import { bindStatements, renderStatements } from './statements.js';
import { currentStep, initialState, reduce, secondsLeft } from './state.js';
import { renderScale } from './scale.js';
import { bindRoving } from './roving.js';
import { createHistory } from './undo.js';
import { bindKeysHelp, bindUndoControls } from './undo_controls.js';
import { bindWaiting } from './waiting.js';
import { renderWorksheet } from './worksheet.js';
import { adoptCard, markWithdrawnCode, renderBoard, renderPeople, sectionTitles, showStatus } from './view.js';

const config = readConfig();
const root = document.getElementById('map');
const people = document.getElementById('people');
const scale = document.getElementById('scale');
const involved = document.getElementById('involved');
const roomPeople = document.getElementById('room-person-form');
const statusElement = document.getElementById('status');
const announce = announcer(document.getElementById('announcer'), config.strings);
const titles = sectionTitles(config);
let confirmed = initialState(); // the server's word only
let pending = []; // this client's operations the server has not answered yet, oldest first
let state = confirmed; // what is shown: predict(confirmed, pending)
let closed = false;
const refold = () => { state = predict(confirmed, pending); };
let renderWaiting = () => {};
let undoControls = null; // bound once the history exists, below

function render() {
  renderBoard(root, state, config);
  renderPeople(people, state, config);
  renderMeeting(state, config);
  renderStatements(root, state, config);
  renderItemPeople(root, state, config);
  renderInvolved(involved, state, config);
  renderWorksheet(state, config);
  renderScale(scale, state, config, app);
  renderWriters(root, state, config.strings);
  renderRoomPeople(roomPeople, state);
  undoControls?.refresh();
}

// The countdown runs on the server's clock. The clock on screen ticks each second but is
// no live region; the announcer says the time each minute, at one minute, 30 s and zero.
let lastSeconds = null;
setInterval(() => {
  const bar = document.getElementById('meeting-bar');
  if (!bar) return;
  renderTimer(bar, state);
  const seconds = state.meeting.status === 'live' ? secondsLeft(state) : null;
  announce(timerMessage(lastSeconds, seconds, config.strings), { key: 'timer' });
  lastSeconds = seconds;
}, 1000);

/** Tell screen readers what happened: the step and the scale to everyone, others' changes
 * to the board briefly (one's own changes are on screen where one made them). */
function describe(event) {
  if (event.type === 'step_changed' && currentStep(state)) {
    const step = format(config.strings.step_announce, { num: state.meeting.step_index + 1, title: inOwnLanguage(config, currentStep(state).title) });
    announce(`${step}. ${stepLength(secondsLeft(state), config.strings)}`.trim(), { key: 'step' });
    lastSeconds = secondsLeft(state); // the countdown starts over: no "time up" for the step left
    // everyone follows the facilitator to the step's sections, unless they are typing
    const typing = document.activeElement?.matches('textarea, input');
    if (!typing && event.actor?.id !== state.you) followStep(state, config);
  }
  if (event.type === 'scale_round_opened' || event.type === 'scale_round_reopened') announce(config.strings.announce_scale_opened);
  if (event.type === 'scale_round_revealed') announce(config.strings.announce_scale_revealed);
  if (event.actor && event.actor.id === state.you) return;
  const change = (template, values) => announce(format(template, values), { change: true });
  const item = event.item;
  const section = titles.get(item?.section || event.section) || '';
  const name = event.actor?.name || config.strings.anonymous;
  const text = item && !item.hidden ? firstWords(item.text) : '';
  if (event.type === 'item_added' && !item.hidden) change(config.strings.announce_added, { name, section, text });
  if (event.type === 'item_edited' && !item.hidden) change(config.strings.announce_edited, { name, section, text });
  if (event.type === 'item_moved') change(config.strings.announce_moved, { name, section, text });
  if (event.type === 'item_deleted') change(config.strings.announce_deleted, { section });
  if (event.type === 'item_restored' && !item.hidden) change(config.strings.announce_added, { name, section, text });
  if (event.type === 'person_added') change(config.strings.involved_added, { name: event.actor.name, person: event.person.name });
  if (event.type === 'person_removed') change(config.strings.involved_removed, { person: event.person.name });
}

const connection = openMeeting({
  meetingId: config.meeting_id,
  handlers: {
    snapshot(snapshot) {
      confirmed = reduce(confirmed, { type: 'snapshot', snapshot });
      pending = applied(pending, confirmed);
      refold();
      render();
    },
    event(event, catchingUp) {
      // the saved item takes over its provisional card: same element, focus kept, no blink
      const provisional = replacedId(pending, event);
      if (provisional) adoptCard(root, provisional, event.item.id);
      confirmed = reduce(confirmed, event);
      pending = applied(pending, confirmed, event);
      refold();
      if (!catchingUp) describe(event);
      markWithdrawnCode(event, config);
      render();
    },
    presence(message) {
      confirmed = reduce(confirmed, { type: 'presence', participants: message.participants });
      refold();
      renderPeople(people, state, config);
      renderMeeting(state, config);
      renderScale(scale, state, config, app);
    },
    waiting(message) { renderWaiting(message); },
    editing(message) { confirmed = reduce(confirmed, { ...message, type: 'editing' }); refold(); renderMeeting(state, config); },
    status(name, waiting) {
      if (closed) return;
      showStatus(statusElement, config, name, waiting);
      document.body.classList.toggle('is-waiting', name === 'offline' || name === 'retrying');
    },
    closed(reason) {
      closed = true;
      document.body.classList.add('is-closed');
      statusElement.className = 'status status-closed';
      statusElement.textContent = config.strings[`closed_${reason}`] || config.strings.closed_signed_out;
      for (const control of root.querySelectorAll('textarea, button, select')) control.disabled = true;
      for (const control of scale?.querySelectorAll('input, button') ?? []) control.disabled = true;
    },
  },
});

/** Send an operation: shown at once (when it has a prediction), settled by the server's answer.
 *  One with no prediction marks the control that sent it as busy until then. */
function send(type, payload) {
  const opId = newOpId();
  pending = queue(pending, { op_id: opId, type, payload });
  const control = predicts(type) ? null : document.activeElement?.closest('button, select, input');
  control?.setAttribute('aria-busy', 'true');
  refold();
  render();
  return connection.send(type, payload, opId).then((ack) => {
    control?.removeAttribute('aria-busy');
    pending = acknowledged(pending, opId, ack, confirmed.rev);
    refold();
    render();
    return ack;
  });
}

// one's own board changes can be undone and redone (undo.js), as ordinary operations
const history = createHistory({ send, state: () => state, tell: (outcome) => undoControls.tell(outcome), changed: () => undoControls.refresh() });
undoControls = bindUndoControls(history, { announce, strings: config.strings });

const app = {
  config,
  state: () => state,
  send: history.send,
  offerUndo: (message) => undoControls.offerUndo(message),
  hold: (key) => connection.hold(key),
  release: (key) => connection.release(key),
  notify: (name, payload) => connection.notify(name, payload),
  request: (name, payload) => connection.request(name, payload),
  render,
  alert: (message) => { statusElement.className = 'status status-error'; statusElement.textContent = message; announce(message); },
};

bindBoard(root, app, announce);
bindComposer(root, app);
bindRoomPeople(roomPeople, app);
bindRoving(document.body);
bindKeysHelp(document.getElementById('keys-help'));
bindPeople(people, app);
bindMeeting(app);
bindStatements(root, app);
bindItemPeople(root, app);
bindInvolved(involved, app);
renderWaiting = bindWaiting(app, announce);

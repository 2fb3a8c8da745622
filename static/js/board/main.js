// The live board: wires the socket (lib/socket.js), reconciliation (reconcile.js), rendering
// (render.js) and the intents (intents.js). Nothing else happens here.
// What is shown is this client's pending operations folded over the server's word, worked
// out again (and drawn again) whenever either changes.
import { createChime } from '../lib/chime.js';
import { readConfig } from '../lib/dom.js';
import { newOpId, openMeeting } from '../lib/socket.js';
import { bindIntents } from './intents.js';
import { predicts } from './optimistic.js';
import { createReconciler } from './reconcile.js';
import { createRenderer } from './render.js';
import { bindRoving } from './roving.js';
import { createHistory } from './undo.js';
import { createUndoControls } from './undo_controls.js';
import { waitingList } from './waiting.js';
import { bindPresent } from '../display/present.js';

const config = readConfig();
config.chime = createChime(); // the timer's chime (lib/chime.js), muted in memory only
const board = createReconciler();
let renderWaiting = () => {};

/** Send an operation: shown at once (when it has a prediction), settled by the server's answer.
 *  One with no prediction marks the control that sent it as busy until then. */
function send(type, payload) {
  const opId = newOpId();
  board.queued({ op_id: opId, type, payload });
  const control = predicts(type) ? null : document.activeElement?.closest('button, select, input');
  control?.setAttribute('aria-busy', 'true');
  view.render();
  return connection.send(type, payload, opId).then((ack) => {
    control?.removeAttribute('aria-busy');
    board.answered(opId, ack);
    view.render();
    return ack;
  });
}

// one's own board changes can be undone and redone (undo.js), as ordinary operations
const history = createHistory({
  send, state: () => board.shown(), tell: (outcome) => undo.tell(outcome), changed: () => undo.refresh(),
});

const app = {
  config,
  state: () => board.shown(),
  send: history.send,
  undo: () => undo.undo(),
  redo: () => undo.redo(),
  offerUndo: (message) => undo.offerUndo(message),
  hold: (key) => connection.hold(key),
  release: (key) => connection.release(key),
  notify: (name, payload) => connection.notify(name, payload),
  request: (name, payload) => connection.request(name, payload),
  render: () => view.render(),
  alert: (message) => view.alert(message),
  announce: (message) => view.announce(message),
};
const view = createRenderer(config, app.state, () => undo?.refresh());
const undo = createUndoControls(history, { announce: view.announce, strings: config.strings });

const connection = openMeeting({
  meetingId: config.meeting_id,
  handlers: {
    snapshot(snapshot) { board.snapshot(snapshot); view.render(); },
    event(event, catchingUp) { view.renderEvent(event, catchingUp, board.event(event)); },
    presence(message) { board.passing({ type: 'presence', participants: message.participants }); view.renderPresence(); },
    editing(message) { board.passing({ ...message, type: 'editing' }); view.renderEditing(); },
    waiting(message) { renderWaiting(message); },
    status(name, waiting) { view.status(name, waiting); },
    closed(reason) { view.close(reason); },
  },
});

bindIntents(app);
bindRoving(document.body);
bindPresent(document.getElementById('present-panel'), app); // the room's screen
renderWaiting = waitingList(app, view.announce);

// The only module that opens the socket. It wires the wire to the two pure parts of the
// protocol: ordering.js (events in revision order, sync on a gap or a reconnect) and
// outbox.js (operations kept and sent again with the same op_id until answered).
import { io } from '/static/vendor/socket.io.esm.min.js';
import { createOrdering } from './ordering.js';
import { createOutbox, isRateLimited, rateLimitDelay, RETRY_BASE_MS, saveStatus } from './outbox.js';

const ACK_TIMEOUT_MS = 8000;

export function newOpId() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Open a meeting's socket.
 * handlers: {snapshot(snap), event(ev, catchingUp), presence(msg), status(state, waiting), closed(reason),
 *            editing?(msg), waiting?(msg), displayLanguage?(msg)}
 */
export function openMeeting({ meetingId, display = false, handlers }) {
  const socket = io({
    transports: ['websocket'],
    auth: { meeting_id: meetingId, display },
    reconnectionDelay: 500,
    reconnectionDelayMax: 5000,
    randomizationFactor: 0.5,
  });
  let stopped = false;
  const ask = (name, payload, answer) => socket.timeout(ACK_TIMEOUT_MS).emit(name, payload, answer);
  const ordering = createOrdering({ apply: handlers.event, snapshot: handlers.snapshot, needSync: () => sync() });
  const outbox = createOutbox({
    emit: (op, answer) => ask('op', op, answer),
    canSend: () => socket.connected && !ordering.syncing() && !stopped,
    accepted: (ack) => ordering.receive(ack.event),
    changed: (retrying) => (retrying ? handlers.status('retrying', outbox.size()) : report()),
  });

  function report() {
    if (stopped) return;
    const [name, count] = saveStatus({ connected: socket.connected, syncing: ordering.syncing(), waiting: outbox.size(), held: outbox.held() });
    handlers.status(name, count);
  }

  function sync() {
    if (ordering.syncing() || !socket.connected) return;
    ordering.syncStarted();
    report();
    ask('sync', { meeting_id: meetingId, since_rev: ordering.since() }, (err, ack) => {
      if (err || !ack) { ordering.syncFailed(); setTimeout(sync, RETRY_BASE_MS); return; }
      if (isRateLimited(ack)) { ordering.syncFailed(); setTimeout(sync, rateLimitDelay(ack.error)); return; }
      if (!ack.ok) { ordering.syncFailed(); handlers.closed(ack.error.code); return; }
      ordering.synced(ack);
      outbox.flush();
      report();
    });
  }

  socket.on('connect', () => { report(); sync(); });
  socket.on('disconnect', () => { outbox.disconnected(); report(); });
  socket.on('connect_error', (err) => {
    if (!socket.active) { stopped = true; handlers.closed(err.message === 'unauthorized' ? 'signed_out' : 'error'); }
    else report();
  });
  socket.on('event', ordering.receive);
  socket.on('presence', (message) => handlers.presence(message));
  socket.on('editing', (message) => handlers.editing?.(message));
  socket.on('waiting', (message) => handlers.waiting?.(message));
  socket.on('display_language', (message) => handlers.displayLanguage?.(message));
  socket.on('closed', ({ reason }) => {
    // a server shutting down drops the transport next: reconnect, resync, resend the outbox
    if (reason === 'server_restarting') return;
    stopped = true;
    socket.disconnect();
    handlers.closed(reason);
  });

  window.addEventListener('beforeunload', (event) => {
    if ((outbox.size() || outbox.held()) && !stopped) { event.preventDefault(); event.returnValue = ''; }
  });

  /** Send an operation; resolves with the server's ack ({ok, ...}) once it has it. The caller
   *  may name the op_id (to recognise the operation's event when it comes back). */
  function send(type, payload, opId = newOpId()) {
    return outbox.send({ op_id: opId, meeting_id: meetingId, type, payload });
  }

  /** Tell the room something passing (who is editing): sent only while connected, not kept. */
  function notify(name, payload) {
    if (socket.connected) socket.emit(name, { meeting_id: meetingId, ...payload });
  }

  /** Ask the server something outside the board's revisions (admit a guest); resolves with
   *  the ack, or with an error ack when offline or unanswered. Throttled asks wait and retry. */
  function request(name, payload, tries = 0) {
    return new Promise((resolve) => {
      if (!socket.connected) { resolve({ ok: false, error: { code: 'offline' } }); return; }
      ask(name, { meeting_id: meetingId, ...payload }, (err, ack) => {
        if (err || !ack) { resolve({ ok: false, error: { code: 'timeout' } }); return; }
        if (isRateLimited(ack) && tries < 5) {
          setTimeout(() => request(name, payload, tries + 1).then(resolve), rateLimitDelay(ack.error));
          return;
        }
        resolve(ack);
      });
    });
  }

  return { send, notify, request, hold: outbox.hold, release: outbox.release, pending: outbox.size };
}

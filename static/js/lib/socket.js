// The only module that opens the socket: sync from the last revision, then apply
// events in revision order; an outbox re-sends unacknowledged operations with the
// same op_id until the server has them. Nothing is written to browser storage.
import { io } from '/static/vendor/socket.io.esm.min.js';
import { isRateLimited, isServerError, rateLimitDelay, RETRY_BASE_MS, RETRY_MAX_MS } from './retry.js';

const ACK_TIMEOUT_MS = 8000;
const GAP_WAIT_MS = 300;

export function newOpId() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Open a meeting's socket.
 * handlers: {snapshot(snap), event(ev, catchingUp), presence(msg), status(state, waiting), closed(reason)}
 */
export function openMeeting({ meetingId, display = false, handlers }) {
  const socket = io({
    transports: ['websocket'],
    auth: { meeting_id: meetingId, display },
    reconnectionDelay: 500,
    reconnectionDelayMax: 5000,
    randomizationFactor: 0.5,
  });
  let rev = null; // last revision applied
  let syncing = false;
  let stopped = false;
  let gapTimer = null;
  const buffered = new Map(); // rev -> event that arrived ahead of a gap
  const outbox = new Map(); // op_id -> {op, resolve, attempt, inflight, tries}
  const held = new Set(); // changes the server refused as stale, until the user decides
  let throttled = 0; // operations waiting to be sent again after `rate_limited`

  const report = () => {
    if (stopped) return;
    if (!socket.connected) handlers.status('offline', outbox.size);
    else if (syncing || outbox.size) handlers.status('saving', outbox.size);
    else if (held.size) handlers.status('unsaved', held.size);
    else handlers.status('connected', 0);
  };

  function apply(event, catchingUp = false) {
    rev = event.rev;
    handlers.event(event, catchingUp);
  }

  function drain() {
    while (buffered.has(rev + 1)) {
      const next = buffered.get(rev + 1);
      buffered.delete(rev + 1);
      apply(next);
    }
    for (const key of buffered.keys()) if (key <= rev) buffered.delete(key);
    if (buffered.size && !gapTimer) gapTimer = setTimeout(() => { gapTimer = null; sync(); }, GAP_WAIT_MS);
  }

  function receive(event) {
    if (rev === null || syncing) { buffered.set(event.rev, event); return; }
    if (event.rev <= rev) return;
    if (event.rev === rev + 1) apply(event); else buffered.set(event.rev, event);
    drain();
  }

  function sync() {
    if (syncing || !socket.connected) return;
    syncing = true;
    report();
    socket.timeout(ACK_TIMEOUT_MS).emit('sync', { meeting_id: meetingId, since_rev: rev }, (err, ack) => {
      syncing = false;
      if (err || !ack) { setTimeout(sync, RETRY_BASE_MS); return; }
      if (isRateLimited(ack)) { setTimeout(sync, rateLimitDelay(ack.error)); return; }
      if (!ack.ok) { handlers.closed(ack.error.code); return; }
      if (ack.mode === 'snapshot') {
        rev = ack.snapshot.rev;
        handlers.snapshot({ ...ack.snapshot, you: ack.you });
      } else {
        for (const event of ack.events) if (event.rev > rev) apply(event, true); // missed: not news
      }
      drain();
      flushOutbox();
      report();
    });
  }

  function trySend(entry) {
    if (!socket.connected || syncing || entry.inflight || stopped) return;
    entry.inflight = true;
    const attempt = ++entry.attempt;
    socket.timeout(ACK_TIMEOUT_MS).emit('op', entry.op, (err, ack) => {
      if (attempt !== entry.attempt || !outbox.has(entry.op.op_id)) return;
      entry.inflight = false;
      if (err || isServerError(ack)) {
        // no answer, or none the server could give: it may be committed; the same op_id again
        entry.tries += 1;
        handlers.status('retrying', outbox.size);
        const delay = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** entry.tries) * (0.5 + Math.random());
        setTimeout(() => trySend(entry), delay);
        return;
      }
      if (isRateLimited(ack)) {
        // throttled: the operation (and the user's text in it) stays in the outbox; the
        // throttled ones go again one after another, a token's time apart, not all at once
        handlers.status('retrying', outbox.size);
        throttled += 1;
        setTimeout(() => { throttled -= 1; trySend(entry); }, rateLimitDelay(ack.error) * throttled);
        return;
      }
      outbox.delete(entry.op.op_id);
      if (ack.ok) receive(ack.event);
      entry.resolve(ack);
      report();
    });
  }

  function flushOutbox() {
    for (const entry of outbox.values()) trySend(entry);
  }

  socket.on('connect', () => { report(); sync(); });
  socket.on('disconnect', () => {
    for (const entry of outbox.values()) { entry.inflight = false; entry.attempt += 1; }
    report();
  });
  socket.on('connect_error', (err) => {
    if (!socket.active) { stopped = true; handlers.closed(err.message === 'unauthorized' ? 'signed_out' : 'error'); }
    else report();
  });
  socket.on('event', receive);
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
    if ((outbox.size || held.size) && !stopped) { event.preventDefault(); event.returnValue = ''; }
  });

  /** Send an operation; resolves with the server's ack ({ok, ...}) once it has it. The caller
   *  may name the op_id (to recognise the operation's event when it comes back). */
  function send(type, payload, opId = newOpId()) {
    const op = { op_id: opId, meeting_id: meetingId, type, payload };
    return new Promise((resolve) => {
      const entry = { op, resolve, attempt: 0, inflight: false, tries: 0 };
      outbox.set(op.op_id, entry);
      report();
      trySend(entry);
    });
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
      socket.timeout(ACK_TIMEOUT_MS).emit(name, { meeting_id: meetingId, ...payload }, (err, ack) => {
        if (err || !ack) { resolve({ ok: false, error: { code: 'timeout' } }); return; }
        if (isRateLimited(ack) && tries < 5) {
          setTimeout(() => request(name, payload, tries + 1).then(resolve), rateLimitDelay(ack.error));
          return;
        }
        resolve(ack);
      });
    });
  }

  /** A change the server refused (a conflict) is not saved until the user decides: the
   *  status says so and leaving the page warns, until it is released (saved or given up). */
  function hold(key) { held.add(key); report(); }
  function release(key) { if (held.delete(key)) report(); }

  return { send, notify, request, hold, release, pending: () => outbox.size };
}

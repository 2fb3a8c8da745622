// Outbox and resend: every operation stays here, with its op_id, until the server has
// answered it; unanswered ones go again with the same op_id (after a reconnect, a timeout or
// a server error), throttled ones one after another (docs/protocol.md §10). Pure: the socket
// and the clock are passed in; nothing is written to browser storage (tested with node --test).

export const RETRY_BASE_MS = 500;
export const RETRY_MAX_MS = 8000;

/** Was this answer a throttle? Then the operation stays in the outbox and is sent again. */
export function isRateLimited(ack) {
  return Boolean(ack && ack.ok === false && ack.error?.code === 'rate_limited');
}

/** Did the server fail to answer for it? It may have been committed all the same
 *  (docs/protocol.md §10): send it again with the same op_id, after a back-off. */
export function isServerError(ack) {
  return Boolean(ack && ack.ok === false && ack.error?.code === 'server_error');
}

/** How long to wait after a `rate_limited` answer: the server's hint, jittered ×1–2, capped. */
export function rateLimitDelay(error, random = Math.random) {
  const hint = Number.isFinite(error?.retry_after_ms) ? error.retry_after_ms : RETRY_BASE_MS;
  return Math.min(RETRY_MAX_MS, Math.max(50, hint)) * (1 + random());
}

/** How long to wait before the nth try again of an operation nobody answered. */
export function backoff(tries, random = Math.random) {
  return Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** tries) * (0.5 + random());
}

/**
 * emit(op, answer(err, ack)): put one op on the wire. canSend(): connected, synced, not stopped.
 * accepted(ack): an accepted op's ack, before its sender hears of it (its event goes to ordering).
 * changed(retrying): the outbox changed (retrying: an op waits to go again).
 */
export function createOutbox({ emit, canSend, accepted, changed, later = (fn, ms) => setTimeout(fn, ms), random = Math.random }) {
  const entries = new Map(); // op_id -> {op, resolve, attempt, inflight, tries}
  const held = new Set(); // changes the server refused as stale, until the user decides
  let throttled = 0; // operations waiting to be sent again after `rate_limited`

  function answered(entry, ack) {
    entries.delete(entry.op.op_id);
    if (ack.ok) accepted(ack);
    entry.resolve(ack);
    changed(false);
  }

  function trySend(entry) {
    if (!canSend() || entry.inflight) return;
    entry.inflight = true;
    const attempt = ++entry.attempt;
    emit(entry.op, (err, ack) => {
      // an answer to a send that a disconnect already wrote off: the next send will tell
      if (attempt !== entry.attempt || !entries.has(entry.op.op_id)) return;
      entry.inflight = false;
      if (err || !ack || isServerError(ack)) {
        // no answer, or none the server could give: it may be committed; the same op_id again
        entry.tries += 1;
        changed(true);
        later(() => trySend(entry), backoff(entry.tries, random));
      } else if (isRateLimited(ack)) {
        // the operation (and the user's text in it) stays; throttled ones go a token's time apart
        changed(true);
        throttled += 1;
        later(() => { throttled -= 1; trySend(entry); }, rateLimitDelay(ack.error, random) * throttled);
      } else {
        answered(entry, ack);
      }
    });
  }

  /** Keep an operation until the server answers; resolves with that answer ({ok, ...}). */
  function send(op) {
    return new Promise((resolve) => {
      const entry = { op, resolve, attempt: 0, inflight: false, tries: 0 };
      entries.set(op.op_id, entry);
      changed(false);
      trySend(entry);
    });
  }

  /** Send what waits (after a sync): the same op_ids as before. */
  function flush() {
    for (const entry of entries.values()) trySend(entry);
  }

  /** The connection dropped: nothing is in flight any more, and late answers are ignored. */
  function disconnected() {
    for (const entry of entries.values()) { entry.inflight = false; entry.attempt += 1; }
  }

  /** A change the server refused (a conflict) is not saved until the user decides. */
  function hold(key) { held.add(key); changed(false); }
  function release(key) { if (held.delete(key)) changed(false); }

  return { send, flush, disconnected, hold, release, size: () => entries.size, held: () => held.size };
}

/** What the page says about saving: offline, saving, unsaved (held) or connected, with a count. */
export function saveStatus({ connected, syncing, waiting, held }) {
  if (!connected) return ['offline', waiting];
  if (syncing || waiting) return ['saving', waiting];
  if (held) return ['unsaved', held];
  return ['connected', 0];
}

// Revision ordering: a meeting's events are applied in revision order, each exactly once.
// An event ahead of a gap waits a moment for the missing ones, then a sync fills the gap
// (docs/protocol.md §8). Pure: no socket, no DOM; the clock is passed in (tested with node --test).

export const GAP_WAIT_MS = 300;

/**
 * apply(event, catchingUp): one event, in order. snapshot(snapshot): the whole board.
 * needSync(): a gap did not fill by itself. later(fn, ms): the clock (setTimeout).
 */
export function createOrdering({ apply, snapshot, needSync, later = (fn, ms) => setTimeout(fn, ms) }) {
  let rev = null; // the last revision applied; null until the first sync answers
  let syncing = false;
  let gapWaiting = false;
  const buffered = new Map(); // rev -> an event that arrived ahead of a gap (or during a sync)

  function applyOne(event, catchingUp = false) {
    rev = event.rev;
    apply(event, catchingUp);
  }

  function drain() {
    while (buffered.has(rev + 1)) {
      const next = buffered.get(rev + 1);
      buffered.delete(rev + 1);
      applyOne(next);
    }
    for (const key of buffered.keys()) if (key <= rev) buffered.delete(key);
    if (buffered.size && !gapWaiting) {
      gapWaiting = true;
      later(() => { gapWaiting = false; if (buffered.size) needSync(); }, GAP_WAIT_MS);
    }
  }

  /** An event from the room (or the one an ack carries): applied now, kept, or dropped as seen. */
  function receive(event) {
    if (rev === null || syncing) { buffered.set(event.rev, event); return; }
    if (event.rev <= rev) return;
    if (event.rev === rev + 1) applyOne(event); else buffered.set(event.rev, event);
    drain();
  }

  /** A sync is asked for: events that arrive meanwhile wait for its answer. */
  function syncStarted() {
    syncing = true;
  }

  /** The sync was not answered (or refused): events flow again as before. */
  function syncFailed() {
    syncing = false;
  }

  /** The sync's answer: the missed events (not news: catchingUp) or a whole snapshot. */
  function synced(answer) {
    syncing = false;
    if (answer.mode === 'snapshot') {
      rev = answer.snapshot.rev;
      snapshot({ ...answer.snapshot, you: answer.you });
    } else {
      for (const event of answer.events) if (rev === null || event.rev > rev) applyOne(event, true);
    }
    drain();
  }

  return { receive, syncStarted, syncFailed, synced, since: () => rev, syncing: () => syncing };
}

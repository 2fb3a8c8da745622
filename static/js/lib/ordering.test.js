// node --test: events are applied in revision order, each once; a gap that does not fill asks for a sync.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createOrdering, GAP_WAIT_MS } from './ordering.js';

/** An ordering whose clock is a list of waiting callbacks, run by tick(). */
function harness() {
  const applied = [];
  const snapshots = [];
  const timers = [];
  let syncs = 0;
  const ordering = createOrdering({
    apply: (event, catchingUp) => applied.push(catchingUp ? `${event.rev}*` : event.rev),
    snapshot: (snapshot) => snapshots.push(snapshot),
    needSync: () => { syncs += 1; },
    later: (fn, ms) => timers.push({ fn, ms }),
  });
  const tick = () => { for (const { fn } of timers.splice(0)) fn(); };
  return { ordering, applied, snapshots, timers, tick, syncs: () => syncs };
}
const ev = (rev) => ({ rev, type: 'item_added' });

function synced(h, rev) {
  h.ordering.syncStarted();
  h.ordering.synced({ mode: 'snapshot', snapshot: { rev }, you: 1 });
}

test('events before the first sync wait for it, then apply in order after the snapshot', () => {
  const h = harness();
  h.ordering.receive(ev(4));
  h.ordering.receive(ev(6));
  h.ordering.receive(ev(5));
  assert.deepEqual(h.applied, []);
  h.ordering.syncStarted();
  h.ordering.synced({ mode: 'snapshot', snapshot: { rev: 4 }, you: 7 });
  assert.deepEqual(h.snapshots, [{ rev: 4, you: 7 }]);
  assert.deepEqual(h.applied, [5, 6], 'rev 4 is in the snapshot: not applied again');
  assert.equal(h.ordering.since(), 6);
});

test('reordered events are applied in revision order', () => {
  const h = harness();
  synced(h, 10);
  for (const rev of [12, 14, 11, 13]) h.ordering.receive(ev(rev));
  assert.deepEqual(h.applied, [11, 12, 13, 14]);
  h.tick(); // the gap filled by itself: no sync
  assert.equal(h.syncs(), 0);
});

test('a duplicated event is applied once', () => {
  const h = harness();
  synced(h, 10);
  for (const rev of [11, 11, 12, 11, 12]) h.ordering.receive(ev(rev));
  assert.deepEqual(h.applied, [11, 12]);
  h.ordering.receive(ev(14));
  h.ordering.receive(ev(14));
  h.ordering.receive(ev(13));
  assert.deepEqual(h.applied, [11, 12, 13, 14]);
});

test('a missing event holds back the later ones and, after a short wait, asks for a sync', () => {
  const h = harness();
  synced(h, 10);
  h.ordering.receive(ev(12));
  h.ordering.receive(ev(13));
  assert.deepEqual(h.applied, [], 'nothing ahead of the gap is applied');
  assert.equal(h.timers.length, 1, 'one wait, not one per event');
  assert.equal(h.timers[0].ms, GAP_WAIT_MS);
  h.tick();
  assert.equal(h.syncs(), 1);
  // the sync answers with the missed event (catching up: not news), then the held ones follow
  h.ordering.syncStarted();
  h.ordering.synced({ mode: 'events', events: [ev(11), ev(12)] });
  assert.deepEqual(h.applied, ['11*', '12*', 13]);
  assert.equal(h.ordering.since(), 13);
});

test('events arriving during a sync wait for its answer; the answer and they are merged once', () => {
  const h = harness();
  synced(h, 10);
  h.ordering.syncStarted();
  h.ordering.receive(ev(12));
  h.ordering.receive(ev(11));
  assert.deepEqual(h.applied, []);
  h.ordering.synced({ mode: 'events', events: [ev(11)] });
  assert.deepEqual(h.applied, ['11*', 12]);
});

test('a snapshot far ahead drops the held events it already holds', () => {
  const h = harness();
  synced(h, 10);
  h.ordering.receive(ev(12));
  h.ordering.syncStarted();
  h.ordering.receive(ev(21));
  h.ordering.synced({ mode: 'snapshot', snapshot: { rev: 20 }, you: 1 });
  assert.deepEqual(h.applied, [21]);
  h.tick();
  assert.equal(h.syncs(), 0, 'nothing held back any more: no sync');
});

test('an unanswered sync lets events flow again', () => {
  const h = harness();
  synced(h, 10);
  h.ordering.syncStarted();
  h.ordering.receive(ev(11));
  h.ordering.syncFailed();
  h.ordering.receive(ev(12));
  assert.deepEqual(h.applied, [11, 12]);
});

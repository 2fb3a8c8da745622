// node --test: an operation stays in the outbox until answered, and goes again with the same op_id.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backoff, createOutbox, isRateLimited, isServerError, rateLimitDelay, RETRY_MAX_MS, saveStatus } from './outbox.js';

/** An outbox over a fake wire: every emit is recorded with its answer callback. */
function harness() {
  const wire = [];
  const accepted = [];
  const timers = [];
  const changes = [];
  let connected = true;
  const outbox = createOutbox({
    emit: (op, answer) => wire.push({ op, answer }),
    canSend: () => connected,
    accepted: (ack) => accepted.push(ack.event.rev),
    changed: (retrying) => changes.push(retrying),
    later: (fn, ms) => timers.push({ fn, ms }),
    random: () => 0.5,
  });
  return {
    outbox, wire, accepted, timers, changes,
    connect: (on) => { connected = on; },
    tick: () => { for (const { fn } of timers.splice(0)) fn(); },
    sentIds: () => wire.map((w) => w.op.op_id),
  };
}
const op = (id) => ({ op_id: id, meeting_id: 1, type: 'add_item', payload: { section: 'harm', text: id } });
const ok = (rev) => ({ ok: true, rev, event: { rev } });

test('an accepted op leaves the outbox; its event goes to ordering before the sender hears', async () => {
  const h = harness();
  const order = [];
  const answered = h.outbox.send(op('a')).then((ack) => { order.push('sender'); return ack; });
  assert.equal(h.outbox.size(), 1);
  h.wire[0].answer(null, ok(11));
  order.push(...h.accepted);
  assert.equal((await answered).rev, 11);
  assert.deepEqual(order, [11, 'sender']);
  assert.equal(h.outbox.size(), 0);
});

test('offline ops wait; after a reconnect they go with the same op_ids, in the order made', () => {
  const h = harness();
  h.connect(false);
  h.outbox.send(op('a'));
  h.outbox.send(op('b'));
  assert.deepEqual(h.wire, []);
  h.connect(true);
  h.outbox.flush();
  assert.deepEqual(h.sentIds(), ['a', 'b']);
});

test('ops in flight when the connection drops go again after the reconnect; the old answers are ignored', async () => {
  const h = harness();
  const answered = h.outbox.send(op('a'));
  h.outbox.disconnected();
  h.wire[0].answer(null, ok(11)); // a late answer to the written-off send
  assert.equal(h.outbox.size(), 1, 'still waiting: the resend will tell');
  h.outbox.flush();
  assert.deepEqual(h.sentIds(), ['a', 'a']);
  h.wire[1].answer(null, { ...ok(11), duplicate: true });
  assert.equal((await answered).rev, 11);
  assert.deepEqual(h.accepted, [11]);
  assert.equal(h.outbox.size(), 0);
});

test('flush does not send an op twice while it is in flight', () => {
  const h = harness();
  h.outbox.send(op('a'));
  h.outbox.flush();
  h.outbox.flush();
  assert.deepEqual(h.sentIds(), ['a']);
});

test('no answer or a server error: the same op_id again after a back-off, until answered', async () => {
  const h = harness();
  const answered = h.outbox.send(op('a'));
  h.wire[0].answer(new Error('timeout'));
  assert.deepEqual(h.changes.at(-1), true, 'the page says it is retrying');
  assert.equal(h.timers[0].ms, backoff(1, () => 0.5));
  h.tick();
  h.wire[1].answer(null, { ok: false, error: { code: 'server_error' } });
  h.tick();
  h.wire[2].answer(null, ok(12));
  assert.deepEqual(h.sentIds(), ['a', 'a', 'a']);
  assert.equal((await answered).ok, true);
});

test('a refusal is final: the sender gets it (to give the words back) and nothing goes again', async () => {
  const h = harness();
  const answered = h.outbox.send(op('a'));
  h.wire[0].answer(null, { ok: false, error: { code: 'locked', message: 'The section is locked.' } });
  const ack = await answered;
  assert.equal(ack.error.code, 'locked');
  assert.deepEqual(h.accepted, []);
  assert.equal(h.outbox.size(), 0);
  h.outbox.flush();
  assert.equal(h.wire.length, 1);
});

test('throttled ops stay and go again one after another, a token\u2019s time apart', () => {
  const h = harness();
  h.outbox.send(op('a'));
  h.outbox.send(op('b'));
  const limited = { ok: false, error: { code: 'rate_limited', retry_after_ms: 100 } };
  h.wire[0].answer(null, limited);
  h.wire[1].answer(null, limited);
  assert.deepEqual(h.timers.map((t) => t.ms), [150, 300]);
  assert.equal(h.outbox.size(), 2);
  h.tick();
  assert.deepEqual(h.sentIds(), ['a', 'b', 'a', 'b']);
});

test('held changes keep the page unsaved until released', () => {
  const h = harness();
  h.outbox.hold('edit-1');
  assert.equal(h.outbox.held(), 1);
  assert.deepEqual(saveStatus({ connected: true, syncing: false, waiting: 0, held: h.outbox.held() }), ['unsaved', 1]);
  h.outbox.release('edit-1');
  assert.deepEqual(saveStatus({ connected: true, syncing: false, waiting: 0, held: h.outbox.held() }), ['connected', 0]);
  assert.deepEqual(saveStatus({ connected: false, syncing: false, waiting: 2, held: 1 }), ['offline', 2]);
  assert.deepEqual(saveStatus({ connected: true, syncing: true, waiting: 0, held: 1 }), ['saving', 0]);
});

test('only a rate_limited refusal counts as a throttle', () => {
  assert.equal(isRateLimited({ ok: false, error: { code: 'rate_limited', retry_after_ms: 40 } }), true);
  assert.equal(isRateLimited({ ok: false, error: { code: 'invalid' } }), false);
  assert.equal(isRateLimited({ ok: true }), false);
  assert.equal(isRateLimited(undefined), false);
});

test('the delay follows the server hint, jittered, within bounds', () => {
  assert.equal(rateLimitDelay({ retry_after_ms: 200 }, () => 0), 200);
  assert.equal(rateLimitDelay({ retry_after_ms: 200 }, () => 1), 400);
  assert.equal(rateLimitDelay({ retry_after_ms: 1 }, () => 0), 50); // never a busy loop
  assert.equal(rateLimitDelay({ retry_after_ms: 10 ** 9 }, () => 0), RETRY_MAX_MS);
  assert.equal(rateLimitDelay({}, () => 0), 500); // no hint: the base back-off
  assert.equal(backoff(10, () => 0.5), RETRY_MAX_MS);
});

test('a server_error answer is sent again; other refusals are final', () => {
  assert.equal(isServerError({ ok: false, error: { code: 'server_error', message: 'x' } }), true);
  assert.equal(isServerError({ ok: false, error: { code: 'conflict' } }), false);
  assert.equal(isServerError({ ok: true }), false);
  assert.equal(isServerError(undefined), false);
});

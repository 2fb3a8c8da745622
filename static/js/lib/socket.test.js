// node --test: lib/socket.js wired to a stand-in for the Socket.IO client. After a reconnect the
// board syncs first, then the outbox goes again with the same op_ids; a gap asks for a sync.
import assert from 'node:assert/strict';
import { register } from 'node:module';
import { mock, test } from 'node:test';

// the vendor file is a browser bundle: the test puts a stand-in in its place
register('data:text/javascript,' + encodeURIComponent(`
  export async function resolve(specifier, context, next) {
    if (specifier === '/static/vendor/socket.io.esm.min.js') {
      return { url: 'data:text/javascript,export const io = (options) => globalThis.fakeIo(options);', shortCircuit: true };
    }
    return next(specifier, context);
  }`));
globalThis.window = { addEventListener: () => {} };

/** A socket the test drives: what the page emits is recorded; the test answers and fires events. */
function fakeSocket() {
  const listeners = new Map();
  const socket = {
    connected: false, active: true, sent: [],
    on: (name, fn) => listeners.set(name, fn),
    emit: (name, payload, answer) => socket.sent.push({ name, payload, answer }),
    timeout: () => ({ emit: socket.emit }),
    disconnect: () => { socket.connected = false; },
    fire: (name, ...args) => listeners.get(name)(...args),
    up: () => { socket.connected = true; socket.fire('connect'); },
    down: () => { socket.connected = false; socket.fire('disconnect'); },
    last: (name) => socket.sent.filter((s) => s.name === name).at(-1),
    ops: () => socket.sent.filter((s) => s.name === 'op').map((s) => s.payload.op_id),
  };
  return socket;
}

async function open() {
  const socket = fakeSocket();
  globalThis.fakeIo = () => socket;
  const { openMeeting } = await import('./socket.js');
  const seen = { events: [], snapshots: [], statuses: [] };
  const connection = openMeeting({
    meetingId: 3,
    handlers: {
      snapshot: (snap) => seen.snapshots.push(snap.rev),
      event: (event) => seen.events.push(event.rev),
      presence: () => {}, closed: () => {},
      status: (name, count) => seen.statuses.push(`${name}:${count}`),
    },
  });
  return { socket, connection, seen };
}
const snapshotAck = (rev) => ({ ok: true, mode: 'snapshot', snapshot: { rev, items: [] }, you: 1 });

test('after a reconnect: sync from the last revision first, then the same op_ids again', async () => {
  const { socket, connection, seen } = await open();
  socket.up();
  assert.deepEqual(socket.last('sync').payload, { meeting_id: 3, since_rev: null });
  socket.last('sync').answer(null, snapshotAck(5));
  const first = connection.send('add_item', { section: 'harm', text: 'a' }, 'op-a');
  const second = connection.send('add_item', { section: 'harm', text: 'b' }, 'op-b');
  assert.deepEqual(socket.ops(), ['op-a', 'op-b']);
  socket.down();
  assert.equal(seen.statuses.at(-1), 'offline:2');
  socket.up();
  assert.deepEqual(socket.ops(), ['op-a', 'op-b'], 'nothing goes before the sync answers');
  assert.deepEqual(socket.last('sync').payload.since_rev, 5);
  socket.last('sync').answer(null, { ok: true, mode: 'events', events: [{ rev: 6, op_id: 'op-a' }] });
  assert.deepEqual(socket.ops(), ['op-a', 'op-b', 'op-a', 'op-b'], 'the same op_ids again');
  // op-a was saved before the drop: its answer is a duplicate with the revision already applied
  const sent = socket.sent.filter((s) => s.name === 'op');
  sent[2].answer(null, { ok: true, rev: 6, duplicate: true, event: { rev: 6, op_id: 'op-a' } });
  sent[3].answer(null, { ok: true, rev: 7, event: { rev: 7, op_id: 'op-b' } });
  assert.equal((await first).rev, 6);
  assert.equal((await second).rev, 7);
  assert.deepEqual(seen.events, [6, 7], 'each revision applied once');
  assert.equal(seen.statuses.at(-1), 'connected:0');
  assert.equal(connection.pending(), 0);
});

test('a revision gap that does not fill asks for a sync, and the answer fills it', async () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    const { socket, seen } = await open();
    socket.up();
    socket.last('sync').answer(null, snapshotAck(10));
    socket.fire('event', { rev: 12 });
    socket.fire('event', { rev: 11 });
    socket.fire('event', { rev: 11 });
    assert.deepEqual(seen.events, [11, 12], 'reordered and duplicated: in order, once');
    socket.fire('event', { rev: 14 });
    const syncs = socket.sent.filter((s) => s.name === 'sync').length;
    mock.timers.tick(300);
    assert.equal(socket.sent.filter((s) => s.name === 'sync').length, syncs + 1);
    assert.equal(socket.last('sync').payload.since_rev, 12);
    socket.last('sync').answer(null, { ok: true, mode: 'events', events: [{ rev: 13 }, { rev: 14 }] });
    assert.deepEqual(seen.events, [11, 12, 13, 14]);
  } finally {
    mock.timers.reset();
  }
});

// node --test: the server's word (snapshot, sync, events, acks) meets this client's pending operations.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { board, ids, item, NOW, op, texts } from './board_fixture.js';
import { predict } from './optimistic.js';
import { acknowledged, applied, createReconciler, queue, replacedId } from './reconcile.js';
import { reduce } from './state.js';

/** A reconciler loaded with board() as its first snapshot. */
function loaded() {
  const reconciler = createReconciler(() => NOW);
  const first = board();
  reconciler.snapshot({ rev: first.rev, items: [...first.items.values()], participants: first.participants, you: first.you, meeting: first.meeting, scale_rounds: [], involved: [] });
  return reconciler;
}
const added = (rev, opId, id, text = 'new') => ({ type: 'item_added', rev, op_id: opId, actor: { id: 1 }, item: item(id, 'harm', 'a2', { text }) });

test('the ack with its event replaces the provisional item: no duplicate, the real id', () => {
  let confirmed = board();
  let pending = queue([], op('add_item', { section: 'harm', text: 'new' }, 'add-5555'));
  assert.equal(predict(confirmed, pending, NOW).items.size, 4);
  const event = { type: 'item_added', rev: 6, op_id: 'add-5555', actor: { id: 1 }, item: item(10, 'harm', 'a2', { text: 'new' }) };
  assert.equal(replacedId(pending, event), 'pending:add-5555');
  assert.equal(replacedId(pending, { ...event, op_id: 'someone-else' }), null);
  confirmed = reduce(confirmed, event); // the socket applies the ack's event first
  pending = applied(pending, confirmed, event);
  assert.deepEqual(pending, []);
  pending = acknowledged(pending, 'add-5555', { ok: true, rev: 6, event }, confirmed.rev); // then resolves
  const shown = predict(confirmed, pending, NOW);
  assert.deepEqual(ids(shown, 'harm'), [1, 2, 10]);
  assert.equal(shown.items.get(10).pending, undefined, 'the saved item carries no marker');
});

test('an accepted op whose event waits behind a gap stays shown until the event is applied', () => {
  let confirmed = board();
  let pending = queue([], op('edit_item', { item_id: 1, text: 'mine', base_version: 1 }, 'edit-7777'));
  pending = acknowledged(pending, 'edit-7777', { ok: true, rev: 7 }, confirmed.rev); // rev 6 not here yet
  assert.equal(predict(confirmed, pending, NOW).items.get(1).text, 'mine');
  confirmed = reduce(confirmed, { type: 'item_moved', rev: 6, op_id: 'other', item: item(3, 'harm', 'a2') });
  pending = applied(pending, confirmed, { op_id: 'other' });
  assert.equal(pending.length, 1);
  confirmed = reduce(confirmed, { type: 'item_edited', rev: 7, op_id: 'edit-7777', item: item(1, 'harm', 'a0', { text: 'mine', version: 2 }) });
  pending = applied(pending, confirmed, { op_id: 'edit-7777' });
  assert.deepEqual(pending, []);
  // a snapshot that already holds an acknowledged op lets it go too
  const late = acknowledged(queue([], op('delete_item', { item_id: 2 }, 'del-8888')), 'del-8888', { ok: true, rev: 9 }, 5);
  assert.equal(applied(late, { ...confirmed, rev: 9 }).length, 0);
});

test('a refusal drops the prediction at once', () => {
  const confirmed = board();
  let pending = queue([], op('add_item', { section: 'harm', text: 'refused' }, 'add-9999'));
  pending = queue(pending, op('delete_item', { item_id: 1 }, 'del-9999'));
  pending = acknowledged(pending, 'add-9999', { ok: false, error: { code: 'forbidden' } }, confirmed.rev);
  pending = acknowledged(pending, 'del-9999', { ok: false, error: { code: 'not_found' } }, confirmed.rev);
  assert.deepEqual(pending, []);
  assert.deepEqual(texts(predict(confirmed, pending, NOW), 'harm'), ['item 1', 'item 2']);
});

test('other participants\u2019 events arriving meanwhile are folded under the pending ops', () => {
  let confirmed = board();
  const pending = queue(queue([], op('add_item', { section: 'harm', text: 'mine' }, 'add-1111')), op('edit_item', { item_id: 1, text: 'my edit', base_version: 1 }, 'edit-1111'));
  // Ben adds to the same section: it is confirmed before mine, so mine stays last
  confirmed = reduce(confirmed, { type: 'item_added', rev: 6, op_id: 'ben-1', item: item(20, 'harm', 'a2', { text: 'Ben', author: { id: 2, name: 'Ben' } }) });
  let shown = predict(confirmed, pending, NOW);
  assert.deepEqual(texts(shown, 'harm'), ['my edit', 'item 2', 'Ben', 'mine']);
  // Ben deletes item 2 and moves his own to the top
  confirmed = reduce(confirmed, { type: 'item_deleted', rev: 7, op_id: 'ben-2', item_id: 2 });
  confirmed = reduce(confirmed, { type: 'item_moved', rev: 8, op_id: 'ben-3', item: item(20, 'harm', 'Zz', { text: 'Ben' }) });
  shown = predict(confirmed, applied(pending, confirmed, { op_id: 'ben-3' }), NOW);
  assert.deepEqual(texts(shown, 'harm'), ['Ben', 'my edit', 'mine']);
  // Ben edits item 1 first: my edit is now stale and no longer predicted (the server will say conflict)
  confirmed = reduce(confirmed, { type: 'item_edited', rev: 9, op_id: 'ben-4', item: item(1, 'harm', 'a0', { text: 'Ben edit', version: 2 }) });
  shown = predict(confirmed, pending, NOW);
  assert.deepEqual(texts(shown, 'harm'), ['Ben', 'Ben edit', 'mine']);
});

test('an add shows at once, and its ack with its event leaves one saved item', () => {
  const board = loaded();
  board.queued(op('add_item', { section: 'harm', text: 'new' }, 'add-1'));
  assert.deepEqual(ids(board.shown(), 'harm'), [1, 2, 'pending:add-1']);
  assert.equal(board.event(added(6, 'add-1', 10)), 'pending:add-1', 'the card to adopt');
  board.answered('add-1', { ok: true, rev: 6 });
  assert.deepEqual(ids(board.shown(), 'harm'), [1, 2, 10]);
  assert.deepEqual(board.pending(), []);
});

test('an ack for an op a snapshot already applied: one item, nothing left pending', () => {
  const board = loaded();
  board.queued(op('add_item', { section: 'harm', text: 'sent before the drop' }, 'add-2'));
  // the connection dropped; the sync answered with a snapshot that holds the saved item (rev 9)
  const now = board.confirmed();
  board.snapshot({ rev: 9, items: [...now.items.values(), item(11, 'harm', 'a3', { text: 'sent before the drop' })], participants: now.participants, meeting: now.meeting });
  // the resend (same op_id) is answered as a duplicate with its old revision
  board.answered('add-2', { ok: true, rev: 8, duplicate: true });
  assert.deepEqual(texts(board.shown(), 'harm'), ['item 1', 'item 2', 'sent before the drop']);
  assert.deepEqual(board.pending(), []);
  // and its event, should it come late, changes nothing: ordering drops revisions ≤ 9 before here
  assert.equal(board.confirmed().rev, 9);
});

test('a refused op stops being shown; the others stay', () => {
  const board = loaded();
  board.queued(op('add_item', { section: 'harm', text: 'refused' }, 'add-3'));
  board.queued(op('add_item', { section: 'harm', text: 'kept' }, 'add-4'));
  board.answered('add-3', { ok: false, error: { code: 'locked', message: 'locked' } });
  assert.deepEqual(texts(board.shown(), 'harm'), ['item 1', 'item 2', 'kept']);
  assert.equal(board.pending().length, 1);
});

test('presence and editing news go through the reducer and keep the pending ops shown', () => {
  const board = loaded();
  board.queued(op('edit_item', { item_id: 1, text: 'mine', base_version: 1 }, 'edit-5'));
  board.passing({ type: 'editing', item_id: 2, participant_id: 2, name: 'Ben' });
  board.passing({ type: 'presence', participants: board.confirmed().participants.map((p) => ({ ...p, online: p.id === 1 })) });
  assert.equal(board.shown().items.get(1).text, 'mine');
  assert.equal(board.shown().editing.size, 0, 'Ben left: no longer editing');
});

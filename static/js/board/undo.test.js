// node --test: undo and redo send the inverse of one's own changes, and never undo a change
// someone else has made since.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { reduce, initialState } from './state.js';
import { createHistory, inverseOf, resolve, undoKey } from './undo.js';

const item = (id, section, position, extra = {}) => ({
  id, section, position, text: `item ${id}`, view: 'agency', version: 1, author: { id: 1, name: 'A' }, ...extra,
});

/** A fake server: applies each operation to a board and answers like the real one. */
function fakeBoard(items) {
  let state = reduce(initialState(), { type: 'snapshot', snapshot: { rev: 1, items, participants: [], you: 1 } });
  const deleted = new Map();
  const sent = [];
  let nextId = 100;
  const apply = (event) => { state = reduce(state, event); return { ok: true, rev: state.rev, event }; };
  async function send(type, payload) {
    sent.push({ type, payload });
    const current = state.items.get(payload.item_id);
    if (payload.base_version !== undefined && current && current.version !== payload.base_version) {
      return { ok: false, error: { code: 'conflict' } };
    }
    if (type === 'add_item') return apply({ type: 'item_added', item: item(nextId++, payload.section, 'z0', { text: payload.text }) });
    if (type === 'edit_item') return apply({ type: 'item_edited', item: { ...current, text: payload.text, view: payload.view ?? current.view, version: current.version + 1 } });
    if (type === 'move_item') {
      const position = payload.after_id === null ? 'a' : `${state.items.get(payload.after_id).position}m`;
      return apply({ type: 'item_moved', item: { ...current, section: payload.section, position } });
    }
    if (type === 'delete_item') { deleted.set(current.id, current); return apply({ type: 'item_deleted', item_id: current.id, section: current.section }); }
    if (type === 'restore_item') return apply({ type: 'item_restored', item: deleted.get(payload.item_id) });
    return { ok: false, error: { code: 'unknown_type' } };
  }
  return { send, sent, state: () => state, someoneElse: (event) => { state = reduce(state, event); } };
}

function setUp(items = [item(1, 'harm', 'a0'), item(2, 'harm', 'a1')]) {
  const board = fakeBoard(items);
  const told = [];
  const history = createHistory({ send: board.send, state: board.state, tell: (outcome) => told.push(outcome) });
  return { board, history, told };
}

test('undo of an add deletes the item as it was added, and redo brings the same item back', async () => {
  const { board, history } = setUp();
  const ack = await history.send('add_item', { section: 'harm', text: 'New', view: 'agency' });
  const id = ack.event.item.id;
  await history.undo();
  assert.deepEqual(board.sent.at(-1), { type: 'delete_item', payload: { item_id: id, base_version: 1 } });
  assert.equal(board.state().items.has(id), false);
  await history.redo();
  assert.deepEqual(board.sent.at(-1), { type: 'restore_item', payload: { item_id: id } });
  assert.equal(board.state().items.get(id).text, 'New');
});

test('undo of an edit puts the old words and view back against the version it made', async () => {
  const { board, history } = setUp();
  await history.send('edit_item', { item_id: 1, text: 'changed', view: 'parent', base_version: 1 });
  await history.undo();
  assert.deepEqual(board.sent.at(-1), { type: 'edit_item', payload: { item_id: 1, text: 'item 1', view: 'agency', base_version: 2 } });
  assert.equal(board.state().items.get(1).version, 3);
  assert.equal(board.state().items.get(1).text, 'item 1');
  await history.redo();
  assert.equal(board.state().items.get(1).text, 'changed');
});

test('undo of a move puts the card back at its index in its old section', async () => {
  const { board, history } = setUp([item(1, 'harm', 'a0'), item(2, 'harm', 'a1'), item(3, 'harm', 'a2')]);
  await history.send('move_item', { item_id: 2, section: 'grey', after_id: null });
  await history.undo();
  assert.deepEqual(board.sent.at(-1), { type: 'move_item', payload: { item_id: 2, section: 'harm', after_id: 1 } });
  assert.equal(board.state().items.get(2).section, 'harm');
});

test('undo of a delete restores the item; redo deletes it again', async () => {
  const { board, history } = setUp();
  await history.send('delete_item', { item_id: 2 });
  await history.undo();
  assert.deepEqual(board.state().items.get(2), item(2, 'harm', 'a1'));
  await history.redo();
  assert.equal(board.state().items.has(2), false);
});

test('an item someone else changed since is not undone, and nothing is sent', async () => {
  const { board, history, told } = setUp();
  await history.send('edit_item', { item_id: 1, text: 'mine', view: 'agency', base_version: 1 });
  board.someoneElse({ type: 'item_edited', item: item(1, 'harm', 'a0', { text: 'theirs', version: 3 }) });
  const sent = board.sent.length;
  await history.undo();
  assert.equal(board.sent.length, sent);
  assert.equal(board.state().items.get(1).text, 'theirs');
  assert.deepEqual(told, ['stale']);
});

test('a card someone else moved since is not moved back', async () => {
  const { board, history, told } = setUp();
  await history.send('move_item', { item_id: 1, section: 'grey', after_id: null });
  board.someoneElse({ type: 'item_moved', item: item(1, 'strengths', 'a5') });
  await history.undo();
  assert.equal(board.state().items.get(1).section, 'strengths');
  assert.deepEqual(told, ['stale']);
});

test('a new change of ones own clears what was left to redo', async () => {
  const { history } = setUp();
  await history.send('delete_item', { item_id: 1 });
  await history.undo();
  assert.equal(history.canRedo(), true);
  await history.send('delete_item', { item_id: 2 });
  assert.equal(history.canRedo(), false);
});

test('operations that are not board changes are never recorded', async () => {
  const { history } = setUp();
  await history.send('spotlight', { item_id: 1 });
  assert.equal(history.canUndo(), false);
});

test('ones own later changes to an item do not stop undoing an earlier one', async () => {
  const { board, history } = setUp();
  const ack = await history.send('add_item', { section: 'harm', text: 'New', view: 'agency' });
  await history.send('edit_item', { item_id: ack.event.item.id, text: 'Newer', view: 'agency', base_version: 1 });
  await history.send('move_item', { item_id: ack.event.item.id, section: 'grey', after_id: null });
  await history.undo();
  await history.undo();
  await history.undo();
  assert.equal(board.state().items.has(ack.event.item.id), false);
  assert.deepEqual(board.sent.at(-1), { type: 'delete_item', payload: { item_id: ack.event.item.id, base_version: 3 } });
});

test('a move is undone only while the card stands where this user left it', () => {
  const snapshot = (items) => reduce(initialState(), { type: 'snapshot', snapshot: { rev: 1, items, participants: [] } });
  const inverse = inverseOf('move_item', {}, { item: item(1, 'harm', 'a0'), place: { section: 'harm', index: 0 } }, { item: item(1, 'grey', 'b0') });
  const there = snapshot([item(1, 'grey', 'b0')]);
  const left = new Map([[1, { version: 1, section: 'grey', index: 0 }]]);
  assert.deepEqual(resolve(inverse, there, left), { type: 'move_item', payload: { item_id: 1, section: 'harm', after_id: null } });
  assert.deepEqual(resolve(inverse, snapshot([item(1, 'strengths', 'b0')]), left), { stale: true });
});

test('Ctrl+Z undoes and Ctrl+Shift+Z or Ctrl+Y redo, outside text boxes only', () => {
  const on = (tag) => ({ matches: (selector) => selector.includes(tag) });
  const key = (k, extra = {}) => ({ key: k, ctrlKey: true, shiftKey: false, altKey: false, metaKey: false, target: on('li'), ...extra });
  assert.equal(undoKey(key('z')), 'undo');
  assert.equal(undoKey(key('Z', { shiftKey: true })), 'redo');
  assert.equal(undoKey(key('y')), 'redo');
  assert.equal(undoKey(key('z', { target: on('textarea') })), null);
  assert.equal(undoKey(key('z', { ctrlKey: false })), null);
});

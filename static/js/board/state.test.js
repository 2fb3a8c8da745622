// node --test: the board reducer applies server messages purely and in order.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { savedAfterId } from './optimistic.js';
import { boardDigest, initialState, reduce, sectionItems } from './state.js';

const item = (id, section, position, extra = {}) => ({
  id, section, position, text: `item ${id}`, view: 'agency', version: 1, author: { id: 1, name: 'A' }, ...extra,
});

const snapshot = (items, rev = 3) => ({
  type: 'snapshot',
  snapshot: { rev, items, participants: [{ id: 1, name: 'A', online: true }], you: 1 },
});

test('snapshot replaces the whole state', () => {
  const state = reduce(initialState(), snapshot([item(1, 'harm', 'a0'), item(2, 'harm', 'a1')]));
  assert.equal(state.rev, 3);
  assert.equal(state.items.size, 2);
  assert.equal(state.you, 1);
});

test('added, edited, moved and deleted items follow the events', () => {
  let state = reduce(initialState(), snapshot([item(1, 'harm', 'a0')]));
  state = reduce(state, { type: 'item_added', rev: 4, item: item(2, 'harm', 'a1') });
  state = reduce(state, { type: 'item_edited', rev: 5, item: item(2, 'harm', 'a1', { text: 'changed', version: 2 }) });
  state = reduce(state, { type: 'item_moved', rev: 6, item: item(1, 'strengths', 'a0') });
  assert.equal(state.items.get(2).text, 'changed');
  assert.deepEqual(sectionItems(state, 'strengths').map((i) => i.id), [1]);
  state = reduce(state, { type: 'item_deleted', rev: 7, item_id: 2, section: 'harm' });
  assert.equal(state.items.has(2), false);
  assert.equal(state.rev, 7);
});

test('the reducer never mutates the previous state', () => {
  const before = reduce(initialState(), snapshot([item(1, 'harm', 'a0')]));
  const after = reduce(before, { type: 'item_deleted', rev: 4, item_id: 1 });
  assert.equal(before.items.has(1), true);
  assert.equal(after.items.has(1), false);
});

test('items in a section sort by order key by code point, then id', () => {
  const state = reduce(initialState(), snapshot([item(3, 'harm', 'a1'), item(1, 'harm', 'Zz'), item(2, 'harm', 'a0V')]));
  assert.deepEqual(sectionItems(state, 'harm').map((i) => i.position), ['Zz', 'a0V', 'a1']);
});

test('after_id for a drop index skips the item being moved', () => {
  const state = reduce(initialState(), snapshot([item(1, 'harm', 'a0'), item(2, 'harm', 'a1'), item(3, 'harm', 'a2')]));
  assert.equal(savedAfterId(state, 'harm', 3, 0), null);
  assert.equal(savedAfterId(state, 'harm', 3, 1), 1);
  assert.equal(savedAfterId(state, 'harm', 1, 2), 3);
});

test('participants leave the state when removed', () => {
  let state = reduce(initialState(), snapshot([]));
  state = reduce(state, { type: 'participant_removed', rev: 4, participant_id: 1 });
  assert.deepEqual(state.participants, []);
});

test('two clients fed the same events have the same digest', () => {
  const events = [
    { type: 'item_added', rev: 4, item: item(5, 'grey', 'a0') },
    { type: 'item_moved', rev: 5, item: item(5, 'goals', 'a0') },
  ];
  const a = events.reduce(reduce, reduce(initialState(), snapshot([])));
  const b = events.reduce(reduce, reduce(initialState(), snapshot([])));
  assert.equal(boardDigest(a), boardDigest(b));
});

test('people around the child come with the snapshot and follow person events; removed ones stay known', async () => {
  const { listedPeople } = await import('./state.js');
  const mum = { id: 1, name: 'M.L.', role: 'parent', removed: false, version: 1 };
  let state = reduce(initialState(), { type: 'snapshot', snapshot: { rev: 1, items: [], participants: [], involved: [mum] } });
  state = reduce(state, { type: 'person_added', rev: 2, person: { id: 2, name: 'B.', role: 'child', removed: false, version: 1 } });
  state = reduce(state, { type: 'person_removed', rev: 3, person: { ...mum, removed: true, version: 2 } });
  assert.deepEqual(listedPeople(state).map((p) => p.id), [2]);
  assert.equal(state.involved.get(1).removed, true);
  assert.equal(state.rev, 3);
});

test("a scribe's copy of a rating given for someone in the room is not the scribe's own", () => {
  let state = reduce(initialState(), { type: 'snapshot', snapshot: { rev: 1, items: [], participants: [], you: 7 } });
  state = reduce(state, { type: 'scale_round_opened', rev: 2, scale_round: { id: 1, status: 'open', rated: [] } });
  state = reduce(state, { type: 'rating_given', rev: 3, scale_round: { id: 1, rated: [9] }, rating: { participant_id: 9, value: 6, reason: '' } });
  assert.equal(state.rounds.get(1).mine, undefined);
});

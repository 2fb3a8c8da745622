import assert from 'node:assert/strict';
import { test } from 'node:test';
import { currentRound, mayReveal, movedOnSince, raters, xOf } from './scale.js';
import { initialState, reduce } from './state.js';

const opened = { type: 'scale_round_opened', rev: 1, scale_round: { id: 1, status: 'open', rated: [], ratings: null, spread: null } };

test('the open round is shown before any revealed one', () => {
  let state = reduce(initialState(), opened);
  state = reduce(state, { type: 'scale_round_revealed', rev: 2, scale_round: { id: 1, status: 'revealed', rated: [], ratings: [], spread: { count: 0 } } });
  state = reduce(state, { ...opened, rev: 3, scale_round: { ...opened.scale_round, id: 2 } });
  assert.equal(currentRound(state).id, 2);
  assert.equal(currentRound(initialState()), null);
});

test("a rater's own event keeps their rating as mine; others' events carry no value", () => {
  let state = reduce(initialState(), opened);
  state = reduce(state, { type: 'rating_given', rev: 2, scale_round: { id: 1, rated: [5] }, rating: { participant_id: 5 } });
  assert.equal(state.rounds.get(1).mine, undefined);
  state = reduce(state, { type: 'rating_given', rev: 3, scale_round: { id: 1, rated: [5, 6] }, rating: { participant_id: 6, value: 4, reason: 'why' } });
  assert.deepEqual(state.rounds.get(1).mine, { value: 4, reason: 'why' });
  assert.deepEqual(state.rounds.get(1).rated, [5, 6]);
});

test('reopening clears the revealed ratings', () => {
  let state = reduce(initialState(), { type: 'scale_round_revealed', rev: 1, scale_round: { id: 1, status: 'revealed', rated: [5], ratings: [{ value: 3 }], spread: { count: 1 } } });
  state = reduce(state, { type: 'scale_round_reopened', rev: 2, scale_round: { id: 1, status: 'open', rated: [5], ratings: null, spread: null } });
  assert.equal(state.rounds.get(1).ratings, null);
});

test('observers do not count among the raters; values map onto the axis in order', () => {
  assert.equal(raters({ participants: [{ role: 'member' }, { role: 'observer' }, { role: 'guest' }] }), 2);
  assert.ok(xOf(0) < xOf(5) && xOf(5) < xOf(10));
});

test('the display puts a revealed round away once the meeting moves to another step', () => {
  const round = { id: 7, status: 'revealed', revealed_at: '2030-01-01T10:05:00Z' };
  const at = (index, started) => ({ meeting: { step_index: index, step_started_at: started } });
  assert.equal(movedOnSince(at(5, '2030-01-01T10:00:00Z'), round), false);
  assert.equal(movedOnSince(at(5, '2030-01-01T10:00:00Z'), round), false);
  assert.equal(movedOnSince(at(6, '2030-01-01T10:05:00Z'), round), true); // same second
  assert.equal(movedOnSince(at(6, '2030-01-01T10:05:00Z'), { ...round, status: 'open' }), false);
  assert.equal(movedOnSince(at(6, '2030-01-01T10:09:00Z'), { ...round, id: 8 }), true); // loaded later
  assert.equal(movedOnSince(at(6, null), { ...round, id: 9 }), false);
});

test('a round may be revealed only once its threshold of ratings is met', () => {
  assert.equal(mayReveal({ rated: [1, 2], reveal_threshold: 3 }), false);
  assert.equal(mayReveal({ rated: [1, 2, 3], reveal_threshold: 3 }), true);
  assert.equal(mayReveal({ rated: [], reveal_threshold: 0 }), true);
  assert.equal(mayReveal(null), false);
});

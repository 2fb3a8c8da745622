// node --test: the worksheet's rows pair each danger statement with its goal and scale.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { initialState, reduce } from './state.js';
import { worksheetRows } from './worksheet.js';

const item = (id, section, position, extra = {}) => ({
  id, section, position, text: `item ${id}`, view: 'agency', version: 1, author: { id: 1, name: 'A' }, ...extra,
});

function board(items, rounds = []) {
  return reduce(initialState(), { type: 'snapshot', snapshot: { rev: 1, items, participants: [], scale_rounds: rounds } });
}

test('each danger statement is a row, in board order, with the goal linked to it', () => {
  const state = board([item(1, 'danger', 'b0'), item(2, 'danger', 'a0'), item(3, 'goals', 'a0', { link_id: 1 })]);
  const rows = worksheetRows(state);
  assert.deepEqual(rows.map((row) => row.danger.id), [2, 1]);
  assert.equal(rows[0].goal, null);
  assert.equal(rows[1].goal.id, 3);
});

test('a row shows the latest scale round about its danger statement only', () => {
  const rounds = [
    { id: 1, danger_item_id: 1, status: 'revealed', rated: [], ratings: [] },
    { id: 2, danger_item_id: null, status: 'open', rated: [], ratings: null },
    { id: 3, danger_item_id: 1, status: 'open', rated: [5], ratings: null },
  ];
  const [row] = worksheetRows(board([item(1, 'danger', 'a0')], rounds));
  assert.equal(row.round.id, 3);
});

test('merged danger statements make no row of their own', () => {
  const rows = worksheetRows(board([item(1, 'danger', 'a0'), item(2, 'danger', 'a1', { merged_into_id: 1 })]));
  assert.deepEqual(rows.map((row) => row.danger.id), [1]);
});

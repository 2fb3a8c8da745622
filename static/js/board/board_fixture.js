// Boards for the node tests of optimistic.js and reconcile.js (not loaded by any page).
import { initialState, reduce, sectionItems } from './state.js';

export const NOW = Date.parse('2026-11-26T15:00:00Z');
export const item = (id, section, position, extra = {}) => ({
  id, section, position, text: `item ${id}`, view: 'agency', version: 1, author: { id: 1, name: 'Ann' }, ...extra,
});

export function board(items = [item(1, 'harm', 'a0'), item(2, 'harm', 'a1'), item(3, 'safety', 'a0')], extra = {}) {
  return reduce(initialState(), {
    type: 'snapshot',
    snapshot: {
      rev: 5, items, you: 1, // no server_now: the clocks agree (offset 0)
      participants: [{ id: 1, name: 'Ann', role: 'facilitator', online: true }, { id: 2, name: 'Ben', role: 'member', online: true, hand_raised: true }],
      meeting: { status: 'live', agenda: [{ title: 'One', minutes: 5 }, { title: 'Two', minutes: 10 }], step_index: 0, step_ends_at: '2026-11-26T15:03:00Z', locked_sections: [], private_sections: [] },
      scale_rounds: [{ id: 7, status: 'open', rated: [2] }],
      involved: [{ id: 4, name: 'M.L.', relationship: 'mother', age: 34, household: '', role: 'parent', version: 1, added_by: 1, removed: false }],
      ...extra,
    },
  });
}
export const op = (type, payload, opId = `op-${type}`) => ({ op_id: opId, type, payload });
export const texts = (state, section) => sectionItems(state, section).map((i) => i.text);
export const ids = (state, section) => sectionItems(state, section).map((i) => i.id);

// node --test: what the board shows is this client's pending operations over the confirmed state.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { board, ids, item, NOW, op, texts } from './board_fixture.js';
import { isProvisional, positionBetween, predict, predicts, provisionalId, savedAfterId } from './optimistic.js';

test('an add shows at once as a provisional item at the end of its section', () => {
  const confirmed = board();
  const shown = predict(confirmed, [op('add_item', { section: 'harm', text: '  Dad shouts at night. ', view: 'parent' }, 'abc12345')], NOW);
  assert.deepEqual(ids(shown, 'harm'), [1, 2, 'pending:abc12345']);
  const added = shown.items.get('pending:abc12345');
  assert.equal(added.text, 'Dad shouts at night.');
  assert.equal(added.view, 'parent');
  assert.equal(added.author.name, 'Ann');
  assert.ok(added.provisional && added.pending && added.mine);
  assert.ok(isProvisional(added.id));
  assert.equal(confirmed.items.size, 3, 'the confirmed state is never changed');
});

test('two adds in a row keep their order; an add to an empty or private section works', () => {
  const confirmed = board([item(1, 'harm', 'a0')], { meeting: { private_sections: ['grey'] } });
  const shown = predict(confirmed, [
    op('add_item', { section: 'harm', text: 'first' }, 'one-1111'),
    op('add_item', { section: 'harm', text: 'second' }, 'two-2222'),
    op('add_item', { section: 'grey', text: 'held back' }, 'three-333'),
  ], NOW);
  assert.deepEqual(texts(shown, 'harm'), ['item 1', 'first', 'second']);
  assert.deepEqual(texts(shown, 'grey'), ['held back']);
  assert.equal(shown.items.get('pending:three-333').hidden, true);
  assert.equal(shown.items.get('pending:one-1111').view, 'agency');
});

test('an edit shows the new text with the next version; a stale base version predicts nothing', () => {
  const confirmed = board();
  const shown = predict(confirmed, [op('edit_item', { item_id: 1, text: 'changed ', base_version: 1, view: 'child' })], NOW);
  assert.equal(shown.items.get(1).text, 'changed');
  assert.equal(shown.items.get(1).view, 'child');
  assert.equal(shown.items.get(1).version, 2);
  assert.equal(shown.items.get(1).pending, true);
  // a second edit made on the predicted version follows it
  const twice = predict(confirmed, [
    op('edit_item', { item_id: 1, text: 'one', base_version: 1 }, 'e1-aaaaa'),
    op('edit_item', { item_id: 1, text: 'two', base_version: 2 }, 'e2-aaaaa'),
  ], NOW);
  assert.equal(twice.items.get(1).text, 'two');
  assert.equal(twice.items.get(1).view, 'agency', 'no view sent: the view stays');
  const stale = predict(confirmed, [op('edit_item', { item_id: 1, text: 'late', base_version: 3 })], NOW);
  assert.equal(stale.items.get(1), confirmed.items.get(1), 'the server will refuse it as a conflict');
});

test('a move places the item where the server will: after after_id, first for null, across sections', () => {
  const confirmed = board([item(1, 'harm', 'a0'), item(2, 'harm', 'a1'), item(3, 'harm', 'a2'), item(4, 'safety', 'a0')]);
  const down = predict(confirmed, [op('move_item', { item_id: 1, section: 'harm', after_id: 2 })], NOW);
  assert.deepEqual(ids(down, 'harm'), [2, 1, 3]);
  assert.equal(down.items.get(1).pending, true);
  const top = predict(confirmed, [op('move_item', { item_id: 3, section: 'harm', after_id: null })], NOW);
  assert.deepEqual(ids(top, 'harm'), [3, 1, 2]);
  const across = predict(confirmed, [op('move_item', { item_id: 2, section: 'safety', after_id: 4 })], NOW);
  assert.deepEqual(ids(across, 'harm'), [1, 3]);
  assert.deepEqual(ids(across, 'safety'), [4, 2]);
  const wrong = predict(confirmed, [op('move_item', { item_id: 2, section: 'safety', after_id: 1 })], NOW);
  assert.equal(wrong, confirmed, 'after_id in another section is refused: nothing predicted');
});

test('a move after a provisional item names the nearest saved one instead', () => {
  const shown = predict(board(), [op('add_item', { section: 'harm', text: 'new' }, 'add-1234')], NOW);
  assert.equal(savedAfterId(shown, 'harm', 3, Infinity), 2);
  assert.equal(savedAfterId(shown, 'harm', 3, 1), 1);
  assert.equal(savedAfterId(shown, 'harm', 3, 0), null);
});

test('a delete hides the item; deleting what is gone changes nothing', () => {
  const confirmed = board();
  const shown = predict(confirmed, [op('delete_item', { item_id: 2 })], NOW);
  assert.deepEqual(ids(shown, 'harm'), [1]);
  assert.equal(predict(confirmed, [op('delete_item', { item_id: 99 })], NOW), confirmed);
});

test('facilitation: step change and timer, signals, question, policy, locks, spotlight, roles', () => {
  const confirmed = board();
  const next = predict(confirmed, [op('go_to_step', { index: 1 })], NOW);
  assert.equal(next.meeting.step_index, 1);
  assert.equal(Date.parse(next.meeting.step_ends_at) - Date.parse(next.meeting.step_started_at), 10 * 60_000);
  assert.equal(predict(confirmed, [op('go_to_step', { index: 9 })], NOW), confirmed, 'not on the agenda');
  const more = predict(confirmed, [op('add_time', { minutes: 2 })], NOW);
  assert.equal(more.meeting.step_ends_at, '2026-11-26T15:05:00Z');
  const less = predict(confirmed, [op('add_time', { minutes: -30 })], NOW);
  assert.ok(Date.parse(less.meeting.step_ends_at) >= NOW - 1000, 'never before now');
  const hand = predict(confirmed, [op('set_signal', { signal: 'hand', on: true })], NOW);
  assert.equal(hand.participants.find((p) => p.id === 1).hand_raised, true);
  const cleared = predict(confirmed, [op('clear_signals', {})], NOW);
  assert.ok(cleared.participants.every((p) => !p.hand_raised && !p.ready));
  const meeting = predict(confirmed, [
    op('set_question', { text: 'What keeps J. safe?' }, 'q-123456'),
    op('set_write_policy', { policy: 'scribes' }, 'w-123456'),
    op('set_show_initials', { on: true }, 'i-123456'),
    op('lock_section', { section: 'harm', locked: true }, 'l-123456'),
    op('spotlight', { item_id: 2 }, 's-123456'),
    op('set_role', { participant_id: 2, role: 'scribe' }, 'r-123456'),
  ], NOW);
  assert.equal(meeting.meeting.question, 'What keeps J. safe?');
  assert.equal(meeting.meeting.write_policy, 'scribes');
  assert.equal(meeting.meeting.show_initials, true);
  assert.deepEqual(meeting.meeting.locked_sections, ['harm']);
  assert.equal(meeting.meeting.spotlight_item_id, 2);
  assert.equal(meeting.participants.find((p) => p.id === 2).role, 'scribe');
  const unlocked = predict(meeting, [op('lock_section', { section: 'harm', locked: false })], NOW);
  assert.deepEqual(unlocked.meeting.locked_sections, []);
});

test('scale and people: own rating, person added, edited and taken off the list', () => {
  const confirmed = board();
  const rated = predict(confirmed, [op('rate', { round_id: 7, value: 6, reason: 'Plan holds' })], NOW);
  assert.deepEqual(rated.rounds.get(7).rated, [1, 2]);
  assert.deepEqual(rated.rounds.get(7).mine, { value: 6, reason: 'Plan holds' });
  assert.equal(predict(confirmed, [op('rate', { round_id: 8, value: 6 })], NOW), confirmed);
  const people = predict(confirmed, [
    op('add_person', { name: 'Gran', role: 'family', household: 'Home 2' }, 'p-add-123'),
    op('edit_person', { person_id: 4, base_version: 1, age: 35 }, 'p-edit-123'),
  ], NOW);
  const gran = people.involved.get(provisionalId('p-add-123'));
  assert.equal(gran.name, 'Gran');
  assert.equal(gran.added_by, 1);
  assert.ok(gran.provisional);
  assert.equal(people.involved.get(4).age, 35);
  assert.equal(people.involved.get(4).name, 'M.L.', 'fields not sent stay');
  assert.equal(predict(confirmed, [op('edit_person', { person_id: 4, base_version: 3, age: 1 })], NOW), confirmed);
  const removed = predict(confirmed, [op('remove_person', { person_id: 4 })], NOW);
  assert.equal(removed.involved.get(4).removed, true);
  const status = predict(board([item(9, 'next_steps', 'a0', { status: 'proposed' })]), [op('set_next_step_status', { item_id: 9, status: 'dropped' })], NOW);
  assert.equal(status.items.get(9).status, 'dropped');
});

test('unknown types and malformed payloads predict nothing and never throw', () => {
  const confirmed = board();
  assert.equal(predicts('merge_items'), false);
  assert.equal(predicts('toString'), false);
  assert.equal(predicts('add_item'), true);
  const shown = predict(confirmed, [
    op('merge_items', { item_id: 1, into_id: 2 }), op('no_such_type', {}), op('constructor', {}),
    op('add_time', null), op('edit_item', {}), op('move_item', { item_id: 1 }),
  ], NOW);
  assert.deepEqual(ids(shown, 'harm'), [1, 2]);
  assert.equal(shown.items.get(1), confirmed.items.get(1));
});

test('positionBetween sorts strictly between its neighbours', () => {
  const cases = [[null, null], ['a0', null], [null, 'a0'], ['a0', 'a1'], ['a0', 'a0V'], ['a0', 'a00'], ['a0\uffff', 'a1'], ['Zz', 'a0']];
  for (const [low, high] of cases) {
    const between = positionBetween(low, high);
    if (low !== null) assert.ok(low < between, `${low} < ${between}`);
    if (high !== null) assert.ok(between < high, `${between} < ${high}`);
  }
});

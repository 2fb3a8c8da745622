import assert from 'node:assert/strict';
import { test } from 'node:test';
import { coalesce, firstWords, replaced, stepLength, timerMessage } from './announce.js';

const strings = {
  announce_many: '%(num)s changes from others',
  time_minutes_left: '%(num)s minutes left in this step.',
  time_minute_left: 'One minute left in this step.',
  time_seconds_left: '30 seconds left in this step.',
  time_up: 'Time is up for this step.',
};

/** Every message a 1 s ticker says over a countdown from `from` to `to` seconds left. */
function spoken(from, to) {
  const said = [];
  for (let s = from; s > to; s -= 1) {
    const message = timerMessage(s, s - 1, strings);
    if (message) said.push([s - 1, message]);
  }
  return said;
}

test('a five-minute step is announced each minute, at one minute, 30 seconds and time up', () => {
  assert.deepEqual(spoken(300, -20), [
    [240, '4 minutes left in this step.'],
    [180, '3 minutes left in this step.'],
    [120, '2 minutes left in this step.'],
    [60, 'One minute left in this step.'],
    [30, '30 seconds left in this step.'],
    [0, 'Time is up for this step.'],
  ]);
});

test('nothing is said on the first reading, while over time, or when time is added', () => {
  assert.equal(timerMessage(null, 200, strings), null);
  assert.equal(timerMessage(100, null, strings), null);
  assert.equal(timerMessage(-5, -6, strings), null);
  assert.equal(timerMessage(50, 170, strings), null); // +2 min
  assert.equal(timerMessage(170, 169, strings), null);
});

test('a tab that slept past several moments says only the latest', () => {
  assert.equal(timerMessage(300, 130, strings), '3 minutes left in this step.');
  assert.equal(timerMessage(300, 45, strings), 'One minute left in this step.');
  assert.equal(timerMessage(300, -3, strings), 'Time is up for this step.');
});

test("a step's length is said with its start", () => {
  assert.equal(stepLength(600, strings), '10 minutes left in this step.');
  assert.equal(stepLength(60, strings), 'One minute left in this step.');
  assert.equal(stepLength(null, strings), '');
});

test("a burst of others' changes becomes one count; notices are kept", () => {
  const changes = Array.from({ length: 20 }, (_, i) => ({ text: `change ${i}`, change: true }));
  assert.equal(coalesce(changes, strings), '20 changes from others');
  assert.equal(coalesce([{ text: 'Step 2: Mapping' }, ...changes], strings), 'Step 2: Mapping 20 changes from others');
  assert.equal(coalesce(changes.slice(0, 2), strings), 'change 0 change 1');
  assert.equal(coalesce([{ text: 'a' }, { text: 'b' }, { text: 'c' }, { text: 'd' }], strings), 'b c d');
});

test('an item is announced by its first words', () => {
  assert.equal(firstWords('  Mother says the bruise came from a fall on the stairs. '), 'Mother says the bruise came from a fall…');
  assert.equal(firstWords('Short one.'), 'Short one.');
  assert.equal(firstWords(''), '');
});

test('quick step changes: only the step reached is said, changes are kept', () => {
  let queue = [];
  queue = replaced(queue, { text: 'Step 7', key: 'step' });
  queue = replaced(queue, { text: 'Anna added to Harm: x', change: true });
  queue = replaced(queue, { text: 'Step 8', key: 'step' });
  queue = replaced(queue, { text: 'Step 9', key: 'step' });
  assert.deepEqual(queue.map((m) => m.text), ['Anna added to Harm: x', 'Step 9']);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cueFor, cueText, phaseOf } from './timer_cues.js';

test('one minute left is cued once, as the countdown crosses it', () => {
  assert.equal(cueFor(61, 60), 'minute');
  assert.equal(cueFor(62, 59), 'minute'); // a late tick still crosses it
  assert.equal(cueFor(60, 59), null);
  assert.equal(cueFor(120, 119), null);
});

test('time up is cued as the countdown reaches zero, and only then', () => {
  assert.equal(cueFor(1, 0), 'end');
  assert.equal(cueFor(2, -1), 'end');
  assert.equal(cueFor(0, -1), null);
  assert.equal(cueFor(-5, -6), null);
});

test('a tab that slept through both moments hears only the end', () => {
  assert.equal(cueFor(90, -3), 'end');
});

test('no cue on a first reading, with no timer, or when time is added', () => {
  assert.equal(cueFor(null, 59), null);
  assert.equal(cueFor(undefined, 0), null);
  assert.equal(cueFor(59, null), null);
  assert.equal(cueFor(30, 150), null); // +2 min
  assert.equal(cueFor(30, 30), null);
});

test('the timer shows the last minute and time up', () => {
  assert.equal(phaseOf(null), '');
  assert.equal(phaseOf(61), '');
  assert.equal(phaseOf(60), 'last-minute');
  assert.equal(phaseOf(1), 'last-minute');
  assert.equal(phaseOf(0), 'over');
  assert.equal(phaseOf(-30), 'over');
  const strings = { timer_last_minute: 'One minute left', timer_up: 'Time is up' };
  assert.equal(cueText('last-minute', strings), 'One minute left');
  assert.equal(cueText('over', strings), 'Time is up');
  assert.equal(cueText('', strings), '');
});

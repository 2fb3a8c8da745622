// node --test: where the arrow keys move focus inside a roving group.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { currentIndex, nextIndex } from './roving.js';

test('down and up move one card, and stop at the ends', () => {
  assert.equal(nextIndex(0, 'ArrowDown', 3), 1);
  assert.equal(nextIndex(2, 'ArrowDown', 3), 2);
  assert.equal(nextIndex(0, 'ArrowUp', 3), 0);
});

test('Home and End go to the first and the last', () => {
  assert.equal(nextIndex(1, 'Home', 5), 0);
  assert.equal(nextIndex(1, 'End', 5), 4);
});

test('a list moves with up and down only; a toolbar with left and right; a grid with all four', () => {
  assert.equal(nextIndex(1, 'ArrowRight', 3, 'vertical'), null);
  assert.equal(nextIndex(1, 'ArrowDown', 3, 'horizontal'), null);
  assert.equal(nextIndex(1, 'ArrowRight', 3, 'horizontal'), 2);
  assert.equal(nextIndex(1, 'ArrowUp', 3, 'both'), 0);
  assert.equal(nextIndex(1, 'ArrowLeft', 3, 'both'), 0);
});

test('other keys and empty groups move nothing', () => {
  assert.equal(nextIndex(0, 'Enter', 3), null);
  assert.equal(nextIndex(0, 'ArrowDown', 0), null);
});

test('the Tab stop stays where focus last was, else the first', () => {
  const a = {}, b = {}, c = {};
  assert.equal(currentIndex([a, b, c], b), 1);
  assert.equal(currentIndex([a, b, c], {}), 0);
  assert.equal(currentIndex([a, b, c], undefined), 0);
});

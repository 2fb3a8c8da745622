import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDate, formatNumber } from './dom.js';

test('a date reads in the page language, on the same calendar day everywhere', () => {
  assert.equal(formatDate('2026-03-05', 'en'), 'Mar 5, 2026');
  assert.equal(formatDate('2026-03-05', 'es'), '5 mar 2026');
});

test('anything that is not a date is shown as it came', () => {
  assert.equal(formatDate('soon', 'es'), 'soon');
});

test('a number reads in the page language', () => {
  assert.equal(formatNumber(5.5, 'en'), '5.5');
  assert.equal(formatNumber(5.5, 'es'), '5,5');
});

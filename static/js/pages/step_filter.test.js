import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shows } from './step_filter.js';

test('an empty choice shows everyone', () => {
  assert.equal(shows('Gran', ''), true);
  assert.equal(shows('', ''), true);
});

test('a chosen person shows only their rows', () => {
  assert.equal(shows('Gran', 'Gran'), true);
  assert.equal(shows('Dad', 'Gran'), false);
  assert.equal(shows('', 'Gran'), false);
});

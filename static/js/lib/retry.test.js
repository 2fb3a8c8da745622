// node --test: a throttled operation is kept and sent again later, never dropped.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isRateLimited, isServerError, rateLimitDelay, RETRY_MAX_MS } from './retry.js';

test('only a rate_limited refusal counts as a throttle', () => {
  assert.equal(isRateLimited({ ok: false, error: { code: 'rate_limited', retry_after_ms: 40 } }), true);
  assert.equal(isRateLimited({ ok: false, error: { code: 'invalid' } }), false);
  assert.equal(isRateLimited({ ok: true }), false);
  assert.equal(isRateLimited(undefined), false);
});

test('the delay follows the server hint, jittered, within bounds', () => {
  assert.equal(rateLimitDelay({ retry_after_ms: 200 }, () => 0), 200);
  assert.equal(rateLimitDelay({ retry_after_ms: 200 }, () => 1), 400);
  assert.equal(rateLimitDelay({ retry_after_ms: 1 }, () => 0), 50); // never a busy loop
  assert.equal(rateLimitDelay({ retry_after_ms: 10 ** 9 }, () => 0), RETRY_MAX_MS);
  assert.equal(rateLimitDelay({}, () => 0), 500); // no hint: the base back-off
});

test('a server_error answer is sent again; other refusals are final', () => {
  assert.equal(isServerError({ ok: false, error: { code: 'server_error', message: 'x' } }), true);
  assert.equal(isServerError({ ok: false, error: { code: 'conflict' } }), false);
  assert.equal(isServerError({ ok: true }), false);
  assert.equal(isServerError(undefined), false);
});

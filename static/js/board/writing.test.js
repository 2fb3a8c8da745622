// node --test: words the server refuses come back to the user, before anything typed since.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ackMessage, textProblem, wordsBack } from './writing.js';

const config = { text_max: 10, strings: { empty: 'Write something first.', too_long: '%(count)s of %(max)s', error_generic: 'Not saved: %(message)s' } };

test('refused words go back into an empty box as they were sent', () => {
  assert.equal(wordsBack('Dad shouts at night.', ''), 'Dad shouts at night.');
  assert.equal(wordsBack('Dad shouts at night.', '  \n'), 'Dad shouts at night.');
});

test('refused words go before what was typed since, on their own line', () => {
  assert.equal(wordsBack('first', 'second'), 'first\nsecond');
});

test('an empty or too long text is stopped before it is sent, with the reason', () => {
  assert.equal(textProblem(config, '   '), 'Write something first.');
  assert.equal(textProblem(config, ' 0123456789 '), null, 'spaces around do not count');
  assert.equal(textProblem(config, '0123456789A'), '11 of 10');
});

test('a refusal is told in the server\u2019s words', () => {
  assert.equal(ackMessage(config, { ok: false, error: { code: 'locked', message: 'The section is locked.' } }), 'Not saved: The section is locked.');
});

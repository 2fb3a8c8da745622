// node --test: the one plain-language rule, pinned by a table of cases.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jargonIn } from './jargon.js';

// a part of the built-in list (facilitator/domain/jargon.py), as the page receives it
const WORDS = {
  allegation: 'what someone reported',
  substantiated: 'the agency found it happened',
  reunification: 'the child coming back home',
  DV: 'violence at home between adults',
  'domestic violence': 'violence at home between adults',
  violence: 'hurting someone',
  'case plan': 'the plan we agree on',
  CWS: 'child welfare services',
  'C++': 'a made-up word with signs in it',
};

const CASES = [
  // text, the words found as written (in the order they appear)
  ['The allegation was substantiated; reunification is the plan.', ['allegation', 'substantiated', 'reunification']],
  ['reunification first, then the allegation', ['reunification', 'allegation']],
  ['There was DV at home', ['DV']],
  ["an advocate's dvd", []],
  ['there was dv at home', []], // an abbreviation matches only as written
  ['The Allegation and the CASE PLAN', ['Allegation', 'CASE PLAN']],
  ['domestic violence at home', ['domestic violence']], // the longer of two overlapping words
  ['violence, then domestic violence', ['violence', 'domestic violence']],
  ['allegations', []], // a whole word only: "allegation" is not in "allegations"
  ['allegation_2 and 2allegation', []], // digits and _ belong to the word
  ['«allegation» — CWS.', ['allegation', 'CWS']],
  ['the allegation, the allegation again', ['allegation']], // each once
  ['wrote C++ here', ['C++']], // signs in a word are matched literally
  ['Grandma picks the children up from school.', []],
  ['', []],
];

test('agency words are found as written, in order, each once, whole words only', () => {
  for (const [text, expected] of CASES) {
    assert.deepEqual(jargonIn(WORDS, text).map(([word]) => word), expected, text);
  }
});

test('each word comes with its plainer words; no list finds nothing', () => {
  assert.deepEqual(jargonIn(WORDS, 'What was the allegation exactly?'), [['allegation', 'what someone reported']]);
  assert.deepEqual(jargonIn(undefined, 'allegation'), []);
  assert.deepEqual(jargonIn({}, 'allegation'), []);
});

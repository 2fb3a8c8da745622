// node --test: the one plain-language rule, pinned by a table of cases.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jargonIn, jargonParts, markJargon, toggleMeaning, unmarkJargon } from './jargon.js';

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

// --- marking the words on a card (every reader's board) -------------------------------

/** A small stand-in for the DOM: elements with children, attributes, dataset, textContent;
 *  no innerHTML at all, so a helper that used it would fail here. */
class Node {
  constructor(tag, text = '') { this.tag = tag; this.children = []; this.attrs = {}; this.dataset = {}; this.text = text; this.parentNode = null; this.className = ''; }
  get textContent() { return this.tag === '#text' ? this.text : this.children.map((c) => c.textContent).join(''); }
  set textContent(value) { this.children = []; if (this.tag === '#text') this.text = value; else this.append(new Node('#text', value)); }
  append(...nodes) { for (const n of nodes) { n.parentNode = this; this.children.push(n); } }
  replaceChildren(...nodes) { this.children = []; this.append(...nodes); }
  after(node) { const siblings = this.parentNode.children; node.parentNode = this.parentNode; siblings.splice(siblings.indexOf(this) + 1, 0, node); }
  remove() { const siblings = this.parentNode.children; siblings.splice(siblings.indexOf(this), 1); }
  setAttribute(name, value) { this.attrs[name] = String(value); }
  getAttribute(name) { return this.attrs[name] ?? null; }
  all() { return this.children.flatMap((c) => [c, ...c.all()]); }
  querySelectorAll(selector) { return this.all().filter((n) => n.className === selector.replace(/^.*\./, '')); }
  querySelector(selector) { return (selector.startsWith(':scope > ') ? this.children.filter((n) => n.className === selector.slice(10)) : this.querySelectorAll(selector))[0] ?? null; }
}
const doc = { createElement: (tag) => new Node(tag), createTextNode: (text) => new Node('#text', text) };
const HINT = 'Plainer for “%(term)s”: “%(plain)s”.';

function card(text) {
  const li = new Node('li');
  const p = new Node('p');
  p.className = 'item-text';
  li.append(p);
  markJargon(doc, p, text, WORDS);
  return { li, p };
}

test('the parts of a text give it back whole, its agency words marked', () => {
  const text = 'CWS substantiated the allegation <b>twice</b>.';
  const parts = jargonParts(WORDS, text);
  assert.equal(parts.map((p) => p.text).join(''), text);
  assert.deepEqual(parts.filter((p) => p.plain).map((p) => p.text), ['CWS', 'substantiated', 'allegation']);
  assert.deepEqual(jargonParts(WORDS, ''), [{ text: '' }]);
  assert.deepEqual(jargonParts({}, 'plain words'), [{ text: 'plain words' }]);
});

test('a card marks each agency word as a button, and keeps its text as written', () => {
  const text = 'CWS substantiated <img src=x onerror=alert(1)> it';
  const { p } = card(text);
  assert.equal(p.textContent, text); // text nodes: markup stays text
  const buttons = p.children.filter((n) => n.tag === 'button');
  assert.deepEqual(buttons.map((b) => [b.textContent, b.dataset.plain, b.type, b.getAttribute('aria-expanded')]), [
    ['CWS', 'child welfare services', 'button', 'false'],
    ['substantiated', 'the agency found it happened', 'button', 'false'],
  ]);
  assert.ok(p.children.every((n) => n.tag === '#text' || n.tag === 'button'));
});

test('pressing a word shows its plain meaning under the text; pressing again puts it away', () => {
  const { li, p } = card('CWS substantiated it');
  const [cws, substantiated] = p.children.filter((n) => n.tag === 'button');
  toggleMeaning(doc, cws, HINT);
  const meaning = li.querySelector(':scope > .jargon-meaning');
  assert.equal(meaning.textContent, 'Plainer for “CWS”: “child welfare services”.');
  assert.equal(meaning.getAttribute('role'), 'status');
  assert.equal(cws.getAttribute('aria-expanded'), 'true');
  toggleMeaning(doc, substantiated, HINT); // another word: the same line, its meaning
  assert.equal(li.querySelector(':scope > .jargon-meaning').textContent, 'Plainer for “substantiated”: “the agency found it happened”.');
  assert.deepEqual([cws.getAttribute('aria-expanded'), substantiated.getAttribute('aria-expanded')], ['false', 'true']);
  toggleMeaning(doc, substantiated, HINT);
  assert.equal(li.querySelector(':scope > .jargon-meaning'), null);
});

test('an edited card is marked again; a card without words is plain text', () => {
  const { li, p } = card('CWS came');
  toggleMeaning(doc, p.children[0], HINT);
  markJargon(doc, p, 'The social worker came', WORDS);
  assert.equal(p.textContent, 'The social worker came');
  assert.equal(p.children.filter((n) => n.tag === 'button').length, 0);
  assert.equal(li.querySelector(':scope > .jargon-meaning'), null);
  markJargon(doc, p, 'CWS came', WORDS);
  unmarkJargon(p, 'CWS came');
  assert.equal(p.textContent, 'CWS came');
  assert.equal(p.children.filter((n) => n.tag === 'button').length, 0);
});

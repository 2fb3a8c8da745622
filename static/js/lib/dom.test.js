import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDate, formatNumber, plural } from './dom.js';

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

// As the server sends them for Spanish: the catalog's form for each CLDR category.
const spanish = {
  offline_one: 'Sin conexión: %(num)s cambio pendiente',
  offline_many: 'Sin conexión: %(num)s de cambios pendientes',
  offline_other: 'Sin conexión: %(num)s cambios pendientes',
};

test('a count picks its plural form by the page language\'s CLDR rules', () => {
  assert.equal(plural(spanish, 'offline', 1, 'es'), spanish.offline_one);
  assert.equal(plural(spanish, 'offline', 0, 'es'), spanish.offline_other);
  assert.equal(plural(spanish, 'offline', 7, 'es'), spanish.offline_other);
  assert.equal(plural(spanish, 'offline', 1000000, 'es'), spanish.offline_many);
  assert.equal(plural(spanish, 'offline', 1000001, 'es'), spanish.offline_other);
});

test('a category the server did not send falls back to other', () => {
  const english = { unsaved_one: 'one change', unsaved_other: '%(num)s changes' };
  assert.equal(plural(english, 'unsaved', 1, 'en'), 'one change');
  assert.equal(plural(english, 'unsaved', 1000000, 'es'), '%(num)s changes'); // no "many"
  assert.equal(plural(english, 'unsaved', 3, 'ar'), '%(num)s changes'); // Arabic "few"
  assert.equal(plural(english, 'unsaved', 2, 'not a language tag!'), '%(num)s changes');
});

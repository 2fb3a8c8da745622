// node --test: the danger statement guide, filled in as labelled, reads as a sentence.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { composeStatement } from './statements.js';

const config = {
  builders: { danger: [['who_worried'], ['behaviour'], ['context'], ['impact']] },
  strings: { template_danger: '%(who_worried)s is worried that if %(behaviour)s when %(context)s, the child could be %(impact)s.' },
};

test('a danger statement filled in as labelled keeps "the child could be"', () => {
  const parts = { who_worried: 'Mr. T.', behaviour: 'Dad drinks', context: 'at weekends', impact: 'hurt' };
  assert.equal(composeStatement(config, 'danger', parts), 'Mr. T. is worried that if Dad drinks when at weekends, the child could be hurt.');
});

test('parts not filled in yet show as gaps, never as run-on words', () => {
  assert.equal(composeStatement(config, 'danger', { who_worried: 'Mr. T.', impact: 'hurt' }), 'Mr. T. is worried that if … when …, the child could be hurt.');
  assert.equal(composeStatement(config, 'danger', {}), '');
});

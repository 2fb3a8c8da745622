import { test } from 'node:test';
import assert from 'node:assert/strict';
import { familyBanner, familyItems } from './family_time.js';
import { initialState } from './state.js';
import { chooseScreen } from '../display/choose.js';

const strings = { family_time_banner: 'Private family time', family_time_kept: 'Kept %(num)s' };
const board = (meeting, items = []) => ({ ...initialState(), meeting: { status: 'live', ...meeting }, items: new Map(items.map((item) => [item.id, item])) });

test('the family sees the banner while the time runs, with Share once it has written', () => {
  const running = board({ family_time_started_at: '2026-12-06T23:00:00Z' });
  assert.deepEqual(familyBanner(running, { family: true, strings }), { text: 'Private family time', share: false });
  const written = board({ family_time_started_at: '2026-12-06T23:00:00Z' }, [{ id: 1, family_private: true }]);
  assert.deepEqual(familyBanner(written, { family: true, strings }), { text: 'Private family time', share: true });
});

test('after the time the family is reminded of what it kept, and can still share it', () => {
  const kept = board({}, [{ id: 1, family_private: true }, { id: 2 }]);
  assert.equal(familyItems(kept).length, 1);
  assert.deepEqual(familyBanner(kept, { family: true, strings }), { text: 'Kept 1', share: true });
  assert.equal(familyBanner(board({}), { family: true, strings }), null);
});

test('nobody outside the family gets the banner', () => {
  const running = board({ family_time_started_at: '2026-12-06T23:00:00Z' });
  assert.equal(familyBanner(running, { family: false, strings }), null);
});

test('the display shows only the family time screen while it runs, even over a spotlight', () => {
  const config = { framework: { sections: [{ key: 'harm', column: 'worries' }], columns: [] } };
  const state = board({ family_time_started_at: '2026-12-06T23:00:00Z', spotlight_item_id: 1 }, [{ id: 1, section: 'harm', text: 'x' }]);
  assert.equal(chooseScreen(state, config, true).screen, 'family_time');
});

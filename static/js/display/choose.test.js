import test from 'node:test';
import assert from 'node:assert/strict';
import { chooseScreen, pageIndex, stepSections } from './choose.js';
import { initialState } from '../board/state.js';

const framework = {
  columns: [{ key: 'worries' }, { key: 'working' }],
  sections: [
    { key: 'harm', column: 'worries' }, { key: 'danger', column: 'worries' },
    { key: 'strengths', column: 'working' }, { key: 'safety', column: 'working' },
  ],
};
const config = { framework };

function stateWith(meeting, items = []) {
  const state = initialState();
  return { ...state, meeting: { status: 'live', step_index: -1, agenda: [], ...meeting }, items: new Map(items.map((i) => [i.id, i])) };
}

const agenda = [{ title: 'Agreements', sections: [] }, { title: 'Mapping', sections: ['strengths', 'worries'] }, { title: 'Scaling', sections: [], scaling: true }];

test('before the meeting starts the room sees the join screen when there is a way to join', () => {
  assert.equal(chooseScreen(stateWith({}), config, true).screen, 'join');
  assert.equal(chooseScreen(stateWith({}), config, false).screen, 'sections');
});

test('a step shows the sections it names, in the map order; columns stand for their sections', () => {
  assert.deepEqual(stepSections(agenda[1], framework), ['harm', 'danger', 'strengths']);
  const shown = chooseScreen(stateWith({ agenda, step_index: 1 }), config, true);
  assert.deepEqual(shown.sections, ['harm', 'danger', 'strengths']);
});

test('a step that names no section shows the whole map, paged', () => {
  const shown = chooseScreen(stateWith({ agenda, step_index: 0 }), config, true);
  assert.equal(shown.title, 'map');
  assert.deepEqual(shown.sections, ['harm', 'danger', 'strengths', 'safety']);
});

test('the scaling step shows the scale', () => {
  assert.equal(chooseScreen(stateWith({ agenda, step_index: 2 }), config, true).screen, 'scale');
});

test('the facilitator presents a section, a column, the overview or the join screen', () => {
  const present = (presentation) => chooseScreen(stateWith({ agenda, step_index: 1, presentation }), config, true);
  assert.deepEqual(present({ show: 'section', target: 'safety' }).sections, ['safety']);
  assert.deepEqual(present({ show: 'column', target: 'working' }).sections, ['strengths', 'safety']);
  assert.equal(present({ show: 'overview' }).screen, 'overview');
  assert.equal(present({ show: 'join' }).screen, 'join');
});

test('a spotlight covers everything but a closed meeting', () => {
  const item = { id: 7, section: 'harm', text: 'x', position: 'a' };
  assert.equal(chooseScreen(stateWith({ agenda, step_index: 1, spotlight_item_id: 7 }, [item]), config, true).screen, 'spotlight');
  assert.equal(chooseScreen(stateWith({ status: 'closed', spotlight_item_id: 7 }, [item]), config, true).screen, 'closed');
});

test('pages wrap both ways and auto-advance adds to the facilitator\'s page', () => {
  assert.equal(pageIndex(0, 0, 3), 0);
  assert.equal(pageIndex(4, 0, 3), 1);
  assert.equal(pageIndex(-1, 0, 3), 2);
  assert.equal(pageIndex(1, 2, 3), 0);
  assert.equal(pageIndex(5, 0, 0), 0);
});

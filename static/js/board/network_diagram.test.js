// node --test: the family and network diagram's layout (pure: people in, boxes and places out).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { centreOut, groupPeople, layoutNetwork } from './network_diagram.js';

const labels = {
  roles: { child: 'Child', parent: 'Parent', family: 'Family', network: 'Safety network', professional: 'Professional' },
  network: 'Network', professionals: 'Professionals', child_home: 'The child',
};
const person = (id, role, household = '', extra = {}) => ({ id, name: `P${id}`, relationship: '', age: null, household, role, ...extra });

const overlaps = (a, b) => a.x < b.x + 200 && b.x < a.x + 200 && a.y < b.y + 56 && b.y < a.y + 56;

test('people who share a household (any case, any spacing) are one box, the child first', () => {
  const { households } = groupPeople([person(1, 'parent', 'Home 1'), person(2, 'child', ' home 1 '), person(3, 'parent', "Dad's")]);
  assert.equal(households.length, 2);
  assert.equal(households[0].childHome, true);
  assert.deepEqual(households[0].people.map((p) => p.id), [2, 1]);
});

test('without a household, professionals go below and everyone else above', () => {
  const grouped = groupPeople([person(1, 'professional'), person(2, 'network'), person(3, 'family')]);
  assert.deepEqual(grouped.professionals.map((p) => p.id), [1]);
  assert.deepEqual(grouped.network.map((p) => p.id), [3, 2]);
  assert.equal(grouped.households.length, 0);
});

test("the child's home sits in the middle of its row", () => {
  assert.deepEqual(centreOut(['child', 'a', 'b', 'c']), ['b', 'child', 'a', 'c']);
  const people = [person(1, 'parent', 'Gran'), person(2, 'child', 'Mum'), person(3, 'parent', 'Dad')];
  const layout = layoutNetwork([...people], labels);
  const homes = layout.boxes.filter((b) => b.kind !== 'network').sort((a, b) => a.x - b.x);
  assert.equal(homes[1].kind, 'child-home');
  assert.equal(homes[1].label, 'Mum');
});

test('no two people overlap and every person is inside the drawing', () => {
  const people = [
    person(1, 'child', 'Mum', { age: 6 }), person(2, 'child', 'Mum'), person(3, 'parent', 'Mum'),
    person(4, 'parent', 'Dad'), person(5, 'family', 'Gran'), person(6, 'network'), person(7, 'network'),
    person(8, 'network'), person(9, 'network'), person(10, 'network'), person(11, 'professional'),
  ];
  const layout = layoutNetwork(people, labels);
  assert.equal(layout.nodes.length, people.length);
  for (const a of layout.nodes) {
    assert.ok(a.x >= 0 && a.y >= 0 && a.x + 200 <= layout.width && a.y + 56 <= layout.height, `person ${a.id} outside`);
    for (const b of layout.nodes) if (a !== b) assert.ok(!overlaps(a, b), `${a.id} overlaps ${b.id}`);
  }
  // the network above the homes, the professionals below
  const y = (id) => layout.nodes.find((n) => n.id === id).y;
  assert.ok(y(6) < y(1) && y(1) < y(11));
});

test('each other box is linked to the child\'s home; long text is cut to fit', () => {
  const layout = layoutNetwork([person(1, 'child', 'Mum', { name: 'A very long pseudonym for a child here' }), person(2, 'parent', 'Dad')], labels);
  assert.equal(layout.links.length, 1);
  assert.equal(layout.links[0].from.kind, 'child-home');
  const lines = layout.nodes.find((n) => n.id === 1).lines;
  assert.equal([...lines[0]].length, 22);
  assert.ok(lines[0].endsWith('…'));
});

test('age and relationship share the second line; the role stands in for a missing relationship', () => {
  const layout = layoutNetwork([person(1, 'parent', '', { relationship: 'mother', age: 34 }), person(2, 'network')], labels);
  assert.deepEqual(layout.nodes.map((n) => n.lines[1]), ['mother, 34', 'Safety network']);
});

test('nobody on the list draws an empty diagram', () => {
  const layout = layoutNetwork([], labels);
  assert.deepEqual([layout.nodes.length, layout.boxes.length], [0, 0]);
});

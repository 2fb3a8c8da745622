import test from 'node:test';
import assert from 'node:assert/strict';
import { paginate } from './pages.js';

const block = (key, heights) => ({ key, title: 40, empty: 30, items: heights.map((height, i) => ({ id: `${key}${i}`, height })) });
const ids = (pages) => pages.flat(2).flatMap((part) => part.ids ?? [part.solo]);

test('what fits stays on one page, column after column', () => {
  const pages = paginate([block('a', [100, 100]), block('b', [100])], [300, 300, 300], 10);
  assert.equal(pages.length, 1);
  assert.deepEqual(ids(pages), ['a0', 'a1', 'b0']);
});

test('a section that runs over goes on in the next column, marked continued', () => {
  const pages = paginate([block('a', [120, 120, 120])], [300, 300], 10);
  assert.equal(pages.length, 1);
  assert.deepEqual(pages[0][1][0], { key: 'a', continued: true, ids: ['a2'] });
});

test('what does not fit goes to the next page and nothing is lost or doubled', () => {
  const blocks = [block('a', [200, 200, 200, 200, 200]), block('b', [50, 50])];
  const pages = paginate(blocks, [250, 250, 200], 10);
  assert.ok(pages.length >= 2);
  assert.deepEqual(ids(pages), ['a0', 'a1', 'a2', 'a3', 'a4', 'b0', 'b1']);
});

test('every column holds what it can: the sum of its heights stays within it', () => {
  const heights = [90, 30, 150, 60, 200, 45, 120, 80, 70, 110, 40, 95];
  const blocks = [block('a', heights.slice(0, 5)), block('b', heights.slice(5, 9)), block('c', heights.slice(9))];
  const capacities = [400, 400, 250];
  const byId = new Map(blocks.flatMap((b) => b.items.map((i) => [i.id, i.height])));
  for (const page of paginate(blocks, capacities, 8)) {
    page.forEach((column, index) => {
      const used = column.reduce((sum, part) => sum + 48 + part.ids.reduce((s, id) => s + byId.get(id) + 8, 0), 0);
      assert.ok(used <= capacities[index], `column ${index} uses ${used}`);
    });
  }
});

test('an empty section still shows, with room for its empty line', () => {
  const pages = paginate([block('a', []), block('b', [100])], [300], 10);
  assert.deepEqual(pages[0][0].map((part) => part.key), ['a', 'b']);
});

test('a card taller than any column gets a page of its own', () => {
  const pages = paginate([block('a', [50, 900, 50])], [300, 300], 10);
  assert.deepEqual(ids(pages), ['a0', 'a1', 'a2']);
  assert.ok(pages.some((page) => page[0][0].solo === 'a1'));
});

test('a card that does not fit the shorter last column (the QR) goes on to the next page', () => {
  const pages = paginate([block('a', [100, 100, 250])], [300, 300, 150], 10);
  assert.deepEqual(ids(pages), ['a0', 'a1', 'a2']);
  for (const page of pages) {
    const last = page[2] ?? [];
    assert.ok(last.every((part) => part.ids.every((id) => id !== 'a2')), 'a2 is not in the short column');
  }
});

test('the corner QR goes where a column has room for it; a page without room shortens its last column', async () => {
  const { paginateAround } = await import('./pages.js');
  const blocks = [block('a', [100, 100]), block('b', [250, 250, 250, 250])];
  const around = paginateAround(blocks, { full: [300, 300, 300], shortened: [300, 300, 150], gap: 10, height: 300, need: 150 });
  assert.deepEqual(ids(around.pages), ['a0', 'a1', 'b0', 'b1', 'b2', 'b3']);
  const plain = paginate(blocks, [300, 300, 300], 10);
  assert.ok(around.pages.length >= plain.length);
  around.pages.forEach((page, index) => {
    const column = page[around.corners[index]] ?? [];
    const used = column.reduce((sum, part) => sum + 50 + part.ids.length * 260, 0);
    assert.ok(300 - used >= 150 || around.corners[index] === 2, `page ${index}`);
  });
  const continued = around.pages.flat(2).filter((part) => part.key === 'b').map((part) => part.continued);
  assert.deepEqual(continued, [false, ...continued.slice(1).map(() => true)]);
});

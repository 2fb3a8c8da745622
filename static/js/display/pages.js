// Pages for the room's screen: sections of measured cards packed into columns, column by
// column, page by page. Pure: heights in, pages out (tested with node). A card is never
// split; a section that goes on in the next column or page says so ("continued").

/**
 * blocks: [{key, title: h, empty: h, items: [{id, height}]}] in reading order.
 * capacities: the height each column of a page offers (the last may be shorter: the QR).
 * gap: space between cards and between blocks.
 * Returns pages: [[column, ...], ...]; a column is [{key, continued, ids: [...]}];
 * a card taller than any column gets a page of its own: [{key, solo: id}].
 */
export function paginate(blocks, capacities, gap) {
  const pages = [];
  let page = [];
  let column = [];
  let left = capacities[0];
  const closeColumn = () => {
    page.push(column);
    column = [];
    if (page.length === capacities.length) { pages.push(page); page = []; }
    left = capacities[page.length];
  };
  const closePage = () => {
    if (column.length) closeColumn();
    if (page.length) { pages.push(page); page = []; left = capacities[0]; }
  };
  for (const block of blocks) {
    let part = null;
    const open = (continued) => { part = { key: block.key, continued: continued || Boolean(block.continued), ids: [] }; column.push(part); left -= block.title + gap; };
    const firstNeed = block.title + gap + (block.items[0]?.height ?? block.empty);
    if (firstNeed > left && column.length) closeColumn();
    open(false);
    if (!block.items.length) { left -= block.empty + gap; continue; }
    for (const item of block.items) {
      const tallest = Math.max(...capacities) - block.title - gap;
      if (item.height > tallest) { // it fits nowhere whole: its own page, fitted to it
        if (part && !part.ids.length) column.pop();
        closePage();
        pages.push([[{ key: block.key, solo: item.id }]]);
        part = null;
        continue;
      }
      if (!part) open(block.items[0] !== item);
      while (item.height > left) { // on to the next column (or page) with room for it
        if (!part.ids.length) column.pop();
        closeColumn();
        open(block.items[0] !== item);
      }
      part.ids.push(item.id);
      left -= item.height + gap;
    }
    if (part && !part.ids.length) column.pop();
  }
  closePage();
  return pages.length ? pages : [[[]]];
}

/** The height a column of a page takes (titles, cards and the gaps between them). */
export function usedHeight(column, blocks, gap) {
  const byKey = new Map(blocks.map((block) => [block.key, block]));
  let used = 0;
  for (const part of column) {
    const block = byKey.get(part.key);
    if (part.solo !== undefined) return 0; // a card alone is fitted above the corner QR
    const heightOf = (id) => block.items.find((item) => item.id === id).height;
    used += block.title + gap + (part.ids.length ? part.ids.reduce((sum, id) => sum + heightOf(id) + gap, 0) : block.empty + gap);
  }
  return used;
}

function cornerRoom(page, blocks, { gap, height, need, columns }) {
  let found = -1;
  for (let index = 0; index < columns; index += 1) {
    const used = page[index] ? usedHeight(page[index], blocks, gap) : 0;
    if (height - used >= need) found = index;
  }
  return found;
}

/** The blocks still to place after this page (a block begun on it goes on, "continued"). */
function after(blocks, page) {
  const placed = new Set();
  const touched = new Set();
  for (const part of page.flat()) {
    touched.add(part.key);
    for (const id of part.ids ?? [part.solo]) placed.add(`${part.key}\u0000${id}`);
  }
  return blocks.map((block) => {
    const items = block.items.filter((item) => !placed.has(`${block.key}\u0000${item.id}`));
    return { ...block, items, continued: block.continued || items.length < block.items.length };
  }).filter((block, index) => block.items.length || (!touched.has(block.key) && !blocks[index].items.length));
}

/**
 * Pages that leave room for the corner QR: page by page, the full columns when one of them
 * has room for it at its bottom (the QR goes there), else the last column shortened.
 * Returns {pages, corners}: corners[i] is the column of page i that holds the QR.
 */
export function paginateAround(blocks, { full, shortened, gap, height, need }) {
  const pages = [];
  const corners = [];
  let rest = blocks;
  for (let guard = 0; rest.length && guard < 1000; guard += 1) {
    let [page] = paginate(rest, full, gap);
    let corner = cornerRoom(page, rest, { gap, height, need, columns: full.length });
    if (corner < 0) {
      [page] = paginate(rest, shortened, gap);
      corner = full.length - 1;
    }
    pages.push(page);
    corners.push(corner);
    rest = after(rest, page);
  }
  return pages.length ? { pages, corners } : { pages: [[[]]], corners: [full.length - 1] };
}

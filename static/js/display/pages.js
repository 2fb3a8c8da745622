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
    const open = (continued) => { part = { key: block.key, continued, ids: [] }; column.push(part); left -= block.title + gap; };
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

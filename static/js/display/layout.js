// Lays sections of cards out in pages that fit the stage: cards are measured once (in an
// out-of-sight column of the same width and type) and packed by pages.js; only the page
// on screen is built. A card taller than a column gets a page of its own, fitted.
import { buildBlock, buildCard, emptyCard } from './cards.js';
import { paginate, paginateAround } from './pages.js';
import { fitText } from './fit.js';

const COLUMN_MIN = 380; // in --u: three columns at 16:9

export function unit() {
  return Math.max(1, Math.min(innerWidth / 1280, innerHeight / 720));
}

function geometry(stage, corner) {
  const u = unit();
  const style = getComputedStyle(stage);
  const height = stage.clientHeight - parseFloat(style.paddingTop);
  const gap = 18 * u;
  const columns = Math.max(1, Math.floor((stage.clientWidth + gap) / (COLUMN_MIN * u + gap)));
  const width = (stage.clientWidth - gap * (columns - 1)) / columns;
  const full = Array(columns).fill(height);
  const shortened = [...full];
  const shows = Boolean(corner && !corner.hidden);
  // the room the corner QR takes at the bottom of a column (it is as tall wherever it is)
  const need = shows ? corner.offsetHeight + 20 * u : 0;
  if (shows) shortened[columns - 1] = height - need;
  return { u, columns, width, height, full, shortened, need, shows, gap: 10 * u, columnGap: gap };
}

export function createLayout({ stage, measure, corner, words }) {
  const heights = new Map();
  let measuredWidth = 0;

  function measureAll(sections, width) {
    if (width !== measuredWidth) { heights.clear(); measuredWidth = width; }
    measure.style.width = `${width}px`;
    const fresh = [];
    const list = document.createElement('ul');
    list.className = 'cards';
    for (const { section, cards } of sections) {
      const titleKey = `title:${section.key}:${section.title}`;
      if (!heights.has(titleKey)) { const block = buildBlock(section, true, words); fresh.push([titleKey, block.querySelector('.block-title')]); }
      for (const card of [...cards, { key: 'empty', text: words.empty, kind: 'empty' }]) {
        const key = `${card.key}\u0000${card.text}\u0000${card.meta ?? ''}`;
        if (!heights.has(key)) fresh.push([key, buildCard(card)]);
      }
    }
    if (!fresh.length) return;
    for (const [, element] of fresh) (element.tagName === 'LI' ? list : measure).append(element);
    measure.append(list);
    for (const [key, element] of fresh) heights.set(key, element.getBoundingClientRect().height + (key.startsWith('title:') ? parseFloat(getComputedStyle(element).marginBottom) : 0));
    measure.replaceChildren();
  }

  function cardHeight(card) {
    return heights.get(`${card.key}\u0000${card.text}\u0000${card.meta ?? ''}`);
  }

  /** Draw page `pick(count)` of these sections ([{section, cards}]); returns {index, count}. */
  function draw(sections, pick) {
    const geo = geometry(stage, corner);
    measureAll(sections, geo.width);
    const blocks = sections.map(({ section, cards }) => ({
      key: section.key,
      title: heights.get(`title:${section.key}:${section.title}`) - geo.gap,
      empty: cardHeight({ key: 'empty', text: words.empty, kind: 'empty' }),
      items: cards.map((card, index) => ({ id: index, height: cardHeight(card) })),
    }));
    // the corner QR sits in a column with room to spare; on a page with none, the last
    // column is shortened for it
    const { pages, corners } = geo.shows
      ? paginateAround(blocks, geo)
      : { pages: paginate(blocks, geo.full, geo.gap), corners: null };
    const index = pick(pages.length);
    stage.replaceChildren(buildPage(pages[index], sections, geo));
    if (corners) placeCorner(corners[index], geo);
    return { index, count: pages.length };
  }

  /** Put the corner QR at the bottom right of this column of the stage. */
  function placeCorner(column, geo) {
    const box = stage.getBoundingClientRect();
    const right = box.left + (column + 1) * geo.width + column * geo.columnGap;
    corner.style.right = `${Math.max(0, innerWidth - right)}px`;
  }

  function buildPage(columns, sections, geo) {
    const byKey = new Map(sections.map((entry) => [entry.section.key, entry]));
    const page = document.createElement('div');
    page.className = 'page';
    page.style.gridTemplateColumns = `repeat(${columns.length === 1 && columns[0][0]?.solo !== undefined ? 1 : geo.columns}, minmax(0, 1fr))`;
    for (const parts of columns) {
      const column = document.createElement('div');
      column.className = 'page-column';
      for (const part of parts) {
        const { section, cards } = byKey.get(part.key);
        const block = buildBlock(section, part.continued, words);
        const list = block.querySelector('.cards');
        if (part.solo !== undefined) {
          page.classList.add('page-solo');
          list.append(buildCard(cards[part.solo]));
        } else if (!cards.length) list.append(emptyCard(words));
        else for (const id of part.ids) list.append(buildCard(cards[id]));
        column.append(block);
      }
      page.append(column);
    }
    if (page.classList.contains('page-solo')) requestAnimationFrame(() => fitSolo(page, geo));
    return page;
  }

  function fitSolo(page, geo) {
    const card = page.querySelector('.card');
    if (!card) return;
    card.style.height = `${geo.height - (geo.shows ? geo.need : 0) - page.querySelector('.block-title').offsetHeight - geo.gap * 2}px`;
    fitText(card.querySelector('.card-text'), card, 20, 24 * geo.u);
  }

  return { draw, geometry: () => geometry(stage, corner) };
}

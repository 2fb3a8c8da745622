// The room's single screens: join, closed, spotlight, the scale and the overview.
// User text only ever goes in through textContent.
import { cloneTemplate, format, formatNumber } from '../lib/dom.js';
import { buildBlock, buildCard, sectionCards } from './cards.js';
import { fitText } from './fit.js';
import { unit } from './layout.js';

const SVG = 'http://www.w3.org/2000/svg';

export function drawJoin(stage) {
  stage.replaceChildren(cloneTemplate('tpl-join'));
}

export function drawClosed(stage) {
  stage.replaceChildren(cloneTemplate('tpl-closed'));
}

/** Private family time: the room sees that it runs, and nothing of the board. */
export function drawFamilyTime(stage) {
  stage.replaceChildren(cloneTemplate('tpl-family-time'));
}

function element(tag, className, text) {
  const made = document.createElement(tag);
  if (className) made.className = className;
  if (text !== undefined) made.textContent = text;
  return made;
}

/** The spotlit card over the whole stage; its text fitted inside it (never under 20 px). */
export function drawSpotlight(stage, item, config, words) {
  const section = config.framework.sections.find((s) => s.key === item.section);
  const box = element('section', 'spotlight');
  box.setAttribute('aria-label', words.in_focus);
  box.append(element('p', 'spotlight-label', `${words.in_focus}${section ? ` · ${section.title}` : ''}`));
  const card = element('div', 'spotlight-card');
  card.dataset.itemId = String(item.id);
  const text = element('p', 'spotlight-text card-text', item.text);
  card.append(text);
  box.append(card);
  stage.replaceChildren(box);
  // the longest items (2,000 characters) need the lines closer at the 20 px floor
  if (fitText(text, card, 20, 60 * unit()) <= 20) { text.classList.add('is-dense'); fitText(text, card, 20, 24); }
}

function svg(name, attributes, text) {
  const made = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) made.setAttribute(key, String(value));
  if (text !== undefined) made.textContent = text;
  return made;
}

/** The revealed ratings as dots over 0-10, stacked where they meet; values as text too. */
function dotPlot(round) {
  const plot = svg('svg', { class: 'scale-plot', viewBox: '0 0 1000 150', preserveAspectRatio: 'xMidYMid meet', role: 'img' });
  const x = (value) => 40 + value * 92;
  plot.append(svg('line', { x1: x(0), x2: x(10), y1: 110, y2: 110 }));
  for (let value = 0; value <= 10; value += 1) {
    plot.append(svg('line', { x1: x(value), x2: x(value), y1: 110, y2: 118 }));
    plot.append(svg('text', { x: x(value), y: 142, 'text-anchor': 'middle' }, String(value)));
  }
  const stacked = new Map();
  for (const rating of round.ratings ?? []) {
    const height = stacked.get(rating.value) ?? 0;
    stacked.set(rating.value, height + 1);
    plot.append(svg('circle', { cx: x(rating.value), cy: 96 - height * 20, r: 9 }));
  }
  return plot;
}

function ratingCards(round, config) {
  return [...(round.ratings ?? [])].sort((a, b) => b.value - a.value).map((rating, index) => ({
    key: `rating-${round.id}-${index}-${rating.value}`,
    text: rating.reason || '–',
    meta: rating.name
      ? format(config.strings.scale_rating_named, { name: rating.name, value: rating.value })
      : format(config.strings.scale_rating_anonymous, { value: rating.value }),
  }));
}

/** The scale: anchors always (10 first); while open, how many have rated; once revealed,
 *  the dot plot, the spread and the reasons (paged by the layout). */
export function drawScale(stage, { round, state, config, words, layoutFor, pick }) {
  const mode = config.framework.mode === 'family' ? 'family' : 'professional';
  const box = element('section', 'scale-screen');
  box.setAttribute('aria-labelledby', 'scale-screen-title');
  const title = element('h2', '', words.scale_title);
  title.id = 'scale-screen-title';
  box.append(title);
  const danger = round?.danger_item_id ? state.items.get(round.danger_item_id) : null;
  if (danger) box.append(element('p', 'scale-big', format(config.strings.scale_for_danger, { text: danger.text })));
  box.append(element('p', 'scale-anchors-line', `10 = ${config.strings[`scale_anchor_${mode}_10`]} · 0 = ${config.strings[`scale_anchor_${mode}_0`]}`));
  stage.replaceChildren(box);
  if (!round || round.status !== 'revealed') {
    const raters = state.participants.filter((p) => p.role !== 'observer' && p.role !== 'display').length;
    if (round) box.append(element('p', 'scale-big', format(config.strings.scale_count, { count: round.rated.length, total: Math.max(raters, round.rated.length) })));
    return { index: 0, count: 1 };
  }
  const { spread } = round;
  const summary = spread.count ? format(config.strings.scale_summary, { count: spread.count, min: formatNumber(spread.min), median: formatNumber(spread.median), max: formatNumber(spread.max) }) : config.strings.scale_none;
  const plot = dotPlot(round);
  plot.setAttribute('aria-label', summary);
  box.append(plot, element('p', 'scale-summary', summary));
  const reasons = element('div', 'scale-reasons');
  box.append(reasons);
  const section = { key: 'reasons', title: words.reasons, column: 'scale' };
  return layoutFor(reasons).draw([{ section, cards: ratingCards(round, config) }], pick);
}

/** The whole map on one screen, in small type on purpose; it says it is an overview. */
export function drawOverview(stage, state, config, words) {
  const box = element('section', 'overview');
  box.setAttribute('aria-label', words.overview);
  box.append(element('p', 'overview-label', words.overview));
  const map = element('div', 'overview-map');
  for (const section of config.framework.sections) {
    const block = buildBlock(section, false, words);
    const list = block.querySelector('.cards');
    for (const card of sectionCards(section.key, state, config, words)) list.append(buildCard(card));
    map.append(block);
  }
  box.append(map);
  stage.replaceChildren(box);
  fitText(map, map, 6, 24 * unit());
}

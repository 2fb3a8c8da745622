// What the room's screen shows now: pure rules over the board's state, tested with node.
// One screen at a time: closed > spotlight > what the facilitator presents (join, overview,
// a section, a column) > the scale > the join screen before the start > the step (paged).
import { currentStep, sectionItems } from '../board/state.js';

const DEFAULT = { show: 'step', target: null, page: 0, auto: false, theme: 'dark' };

export function presentation(state) {
  return { ...DEFAULT, ...(state.meeting.presentation ?? {}) };
}

/** The round the room looks at: the open one, else the latest. */
export function roundInView(state) {
  const rounds = [...state.rounds.values()].sort((a, b) => a.id - b.id);
  return rounds.find((round) => round.status === 'open') ?? rounds.at(-1) ?? null;
}

/** A step's named keys (sections, or columns standing for their sections) as section keys. */
export function stepSections(step, framework) {
  const keys = new Set(framework.sections.map((s) => s.key));
  const chosen = new Set();
  for (const key of step?.sections ?? []) {
    if (keys.has(key)) chosen.add(key);
    for (const section of framework.sections) if (section.column === key) chosen.add(section.key);
  }
  // in the map's order, not the step's
  return framework.sections.map((s) => s.key).filter((key) => chosen.has(key));
}

function allSections(framework) {
  return framework.sections.map((s) => s.key);
}

function scaleInView(state, step) {
  const round = roundInView(state);
  if (round?.status === 'open') return true;
  if (step?.scaling) return true;
  if (round?.status !== 'revealed' || !round.revealed_at) return false;
  // a reveal stays up until the facilitator moves to another step
  const started = Date.parse(state.meeting.step_started_at ?? '');
  // (times are to the second: a step started in the second of the reveal came after it)
  return !(started >= Date.parse(round.revealed_at));
}

function sectionsScreen(sections, title, shown) {
  return { screen: 'sections', sections, title, page: shown.page, auto: shown.auto };
}

/**
 * The screen to draw: {screen, ...}. screen is one of closed, spotlight, join, scale,
 * sections (with the section keys to page through) or overview.
 */
export function chooseScreen(state, config, hasInvite) {
  const { framework } = config;
  const shown = presentation(state);
  if (state.meeting.status === 'closed') return { screen: 'closed' };
  if (state.meeting.family_time_started_at) return { screen: 'family_time' }; // nothing else
  const spot = state.items.get(state.meeting.spotlight_item_id);
  if (spot && !spot.hidden) return { screen: 'spotlight', item: spot };
  const step = currentStep(state);
  if (shown.show === 'join') return { screen: 'join' };
  if (shown.show === 'overview') return { screen: 'overview' };
  if (shown.show === 'section') return sectionsScreen([shown.target], 'section', shown);
  if (shown.show === 'column') {
    const keys = framework.sections.filter((s) => s.column === shown.target).map((s) => s.key);
    return sectionsScreen(keys, 'column', shown);
  }
  if (scaleInView(state, step)) return { screen: 'scale', round: roundInView(state), page: shown.page, auto: shown.auto };
  if (shown.show === 'step' && !step && hasInvite) return { screen: 'join' }; // before the start
  const keys = stepSections(step, framework);
  return sectionsScreen(keys.length ? keys : allSections(framework), keys.length ? 'step' : 'map', shown);
}

/** The section's cards as the display shows them (merged duplicates folded away). */
export function shownItems(state, section) {
  return sectionItems(state, section);
}

/** Which page of `count` to show: the facilitator's page (it wraps both ways) plus the
 *  pages turned by the slow auto-advance since. */
export function pageIndex(page, turned, count) {
  if (count <= 0) return 0;
  return (((page + turned) % count) + count) % count;
}

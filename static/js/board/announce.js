// What the board tells screen readers through its polite live region (#announcer):
// others' changes, briefly and coalesced; step changes; the countdown at a few moments.
// Pure functions first (tested with node --test), then the one that writes to the page.
import { format } from '../lib/dom.js';

/** The first few words of an item, enough to recognise it by ear. */
export function firstWords(text, count = 8) {
  const words = String(text ?? '').trim().split(/\s+/).filter(Boolean);
  return words.length > count ? `${words.slice(0, count).join(' ')}…` : words.join(' ');
}

/** One message for what piled up: a few notices are read as they are; a burst of others'
 * changes becomes one count ("20 changes from others"), and the notices (step, scale) stay. */
export function coalesce(queued, strings, most = 3) {
  const changes = queued.filter((m) => m.change);
  const notices = queued.filter((m) => !m.change).map((m) => m.text);
  const told = changes.length > most ? [format(strings.announce_many, { num: changes.length })] : changes.map((m) => m.text);
  const all = [...notices, ...told];
  return all.slice(-most).join(' ');
}

/** Add a message to the queue; one with a key (the step, the timer) drops an older one
 * with the same key: after three quick "next step"s only the step reached is said. */
export function replaced(queue, message) {
  return [...queue.filter((m) => !message.key || m.key !== message.key), message];
}

const MINUTE = 60;
// The timers as they were when the board loaded: a test that fixes the page's clock to jump
// the countdown (Playwright's clock) must not also stop the announcer's own timer.
const later = setTimeout.bind(globalThis);
const cancel = clearTimeout.bind(globalThis);

/** What to say as the step's countdown goes from `before` to `now` seconds left: every
 * whole minute above one, then one minute, 30 seconds and time up; nothing otherwise
 * (no timer, a first reading after loading or resyncing, time added). When a sleeping
 * tab skips several of these moments, only the latest one is said. */
export function timerMessage(before, now, strings) {
  if (before === null || before === undefined || now === null || now === undefined || now >= before) return null;
  const crossed = (mark) => before > mark && now <= mark;
  if (crossed(0)) return strings.time_up;
  if (crossed(30)) return strings.time_seconds_left;
  if (crossed(MINUTE)) return strings.time_minute_left;
  const mark = Math.ceil(now / MINUTE) * MINUTE; // the lowest whole minute passed
  if (mark > MINUTE && crossed(mark)) return format(strings.time_minutes_left, { num: mark / MINUTE });
  return null;
}

/** How long a step lasts, said when it starts ("Step 3: Mapping. 10 minutes left in this step."). */
export function stepLength(seconds, strings) {
  if (seconds === null || seconds === undefined || seconds <= 0) return '';
  if (seconds > MINUTE) return format(strings.time_minutes_left, { num: Math.round(seconds / MINUTE) });
  return strings.time_minute_left;
}

/**
 * The live region's writer. `say(text)` tells at once-ish (a notice: steps, the scale, the
 * timer; `key` keeps only the latest of a kind); `say(text, { change: true })` is another person's change and may be folded into a
 * count. Messages are gathered until things go quiet for `quiet` ms (at most `longest` ms
 * after the first), so a burst becomes one announcement.
 */
export function announcer(element, strings, { quiet = 600, longest = 2000 } = {}) {
  let queue = [];
  let timer = null;
  let first = 0;
  const flush = () => {
    timer = null;
    if (!queue.length) return;
    let text = coalesce(queue, strings);
    queue = [];
    // the same words twice in a row would not be read again: make them differ
    if (element.textContent === text) text += '\u00a0';
    element.textContent = text;
  };
  return (text, { change = false, key = null } = {}) => {
    if (!text) return;
    const now = Date.now();
    if (!queue.length) first = now;
    queue = replaced(queue, { text, change, key });
    cancel(timer);
    timer = later(flush, Math.max(0, Math.min(quiet, first + longest - now)));
  };
}

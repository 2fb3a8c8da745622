// The room's screen: follows the meeting (or what the facilitator presents) in large type,
// one screen at a time, paged; nothing on it to click. Fed only by the server's events.
import { createChime } from '../lib/chime.js';
import { format, readConfig, setText } from '../lib/dom.js';
import { cueFor, cueText, phaseOf } from '../lib/timer_cues.js';
import { openMeeting } from '../lib/socket.js';
import { currentStep, initialState, reduce, secondsLeft } from '../board/state.js';
import { sectionCards } from './cards.js';
import { chooseScreen, pageIndex, presentation } from './choose.js';
import { createLayout } from './layout.js';
import { drawClosed, drawFamilyTime, drawJoin, drawOverview, drawScale, drawSpotlight } from './screens.js';

const AUTO_TURN_MS = 20000; // a slow page turn: time to read a page from the back row

const config = readConfig();
const words = JSON.parse(document.getElementById('display-strings').textContent);
const stage = document.getElementById('stage');
const corner = document.getElementById('corner-join');
const pageSign = document.getElementById('page-sign');
const statusElement = document.getElementById('status');
const measure = document.getElementById('measure');
const layout = createLayout({ stage, measure, corner, words });
const layoutFor = (box) => createLayout({ stage: box, measure, corner, words });
let state = initialState();
let hasInvite = Boolean(corner);
let turned = 0; // pages turned by the auto-advance since the facilitator's last choice
let shownKey = '';
const kindTitle = document.getElementById('projector-title').textContent;
document.body.classList.add(`layout-${config.framework.layout}`);
document.body.classList.toggle('child-words', Boolean(config.framework.child_words));

/** The sections to page through; the presenter's question first when the view does not
 *  show it already (in "Reason for consultation"): the group's work answers it. */
function sectionsOf(keys) {
  const byKey = new Map(config.framework.sections.map((s) => [s.key, s]));
  const shown = keys.filter((key) => byKey.has(key)).map((key) => ({ section: byKey.get(key), cards: sectionCards(key, state, config, words) }));
  if (!state.meeting.question || keys.includes('reason')) return shown;
  const question = { key: 'question', title: words.presenter_question, column: 'context' };
  return [{ section: question, cards: [{ key: 'question', text: state.meeting.question, kind: 'question' }] }, ...shown];
}

function renderHead(choice) {
  const step = currentStep(state);
  const { agenda = [], step_index: index } = state.meeting;
  const title = step && choice.screen !== 'closed'
    ? format(words.step_of, { num: index + 1, count: agenda.length, title: step.title })
    : kindTitle;
  setText(document.getElementById('projector-title'), title);
  renderTimer();
}

function renderTimer() {
  const timer = document.getElementById('projector-timer');
  const seconds = state.meeting.status === 'live' ? secondsLeft(state) : null;
  timer.hidden = seconds === null || !currentStep(state);
  const cue = document.getElementById('projector-timer-cue');
  const phase = timer.hidden ? '' : phaseOf(seconds);
  cue.hidden = !phase;
  setText(cue, cueText(phase, words));
  cue.dataset.phase = phase;
  if (timer.hidden) return;
  const left = Math.abs(seconds);
  setText(timer, `${seconds < 0 ? '−' : ''}${Math.floor(left / 60)}:${String(left % 60).padStart(2, '0')}`);
  timer.classList.toggle('is-over', seconds < 0);
  timer.classList.toggle('is-last-minute', phase === 'last-minute');
}

// The chime at one minute left and at time up (lib/chime.js): it sounds once someone has
// clicked or pressed a key on this screen (the browser's rule); the M key mutes it.
const chime = createChime();
let lastSeconds = null;
function tick() {
  renderTimer();
  const seconds = state.meeting.status === 'live' && currentStep(state) ? secondsLeft(state) : null;
  const cue = cueFor(lastSeconds, seconds);
  if (cue) chime.play(cue);
  lastSeconds = seconds;
}
document.addEventListener('keydown', (event) => {
  if (event.key !== 'm' && event.key !== 'M') return;
  chime.muted = !chime.muted;
  const sign = document.getElementById('projector-chime');
  sign.hidden = !chime.muted;
  setText(sign, words.chime_muted);
});

function showPages(shown) {
  const multiple = shown.count > 1;
  pageSign.hidden = !multiple;
  if (multiple) setText(pageSign, format(words.page_of, { page: shown.index + 1, count: shown.count }) + (presentation(state).auto ? ` · ${words.auto_pages}` : ''));
}

function render() {
  const shown = presentation(state);
  const key = JSON.stringify(shown);
  if (key !== shownKey) { shownKey = key; turned = 0; }
  document.body.classList.toggle('theme-dark', shown.theme !== 'light');
  document.body.classList.toggle('theme-light', shown.theme === 'light');
  const choice = chooseScreen(state, config, hasInvite);
  document.body.classList.toggle('is-closed', choice.screen === 'closed');
  if (choice.screen === 'closed') closeUp();
  if (corner) corner.hidden = !hasInvite || ['join', 'closed', 'spotlight', 'overview', 'scale', 'family_time'].includes(choice.screen);
  renderHead(choice);
  const pick = (count) => pageIndex(shown.page, turned, count);
  let pages = { index: 0, count: 1 };
  if (choice.screen === 'closed') drawClosed(stage);
  else if (choice.screen === 'family_time') drawFamilyTime(stage);
  else if (choice.screen === 'join') drawJoin(stage);
  else if (choice.screen === 'spotlight') drawSpotlight(stage, choice.item, config, words);
  else if (choice.screen === 'overview') drawOverview(stage, state, config, words);
  else if (choice.screen === 'scale') pages = drawScale(stage, { round: choice.round, state, config, words, layoutFor, pick });
  else pages = layout.draw(sectionsOf(choice.sections), pick);
  stage.dataset.screen = choice.screen;
  showPages(pages);
  return pages;
}

function status(name) {
  if (document.body.classList.contains('is-closed')) { setText(statusElement, ''); return; }
  const text = { connected: config.strings.live, offline: config.strings.offline_none }[name] || config.strings.connecting;
  statusElement.className = `projector-status status-${name === 'saving' ? 'connected' : name}`;
  setText(statusElement, name === 'saving' ? config.strings.live : text);
}

/** The meeting is over: no way in and nothing live stays on the screen (not even hidden). */
function closeUp() {
  hasInvite = false;
  corner?.remove();
  document.getElementById('tpl-join')?.remove();
  setText(statusElement, '');
}

/** A withdrawn code is no way in any more: the QR and the code go. */
function forgetWithdrawnCode(event) {
  if (event.type !== 'participant_removed' || !event.withdrawn_invite_id) return;
  if (document.querySelector(`[data-invite-id="${event.withdrawn_invite_id}"]`)) hasInvite = false;
}

setInterval(tick, 1000);
setInterval(() => {
  if (!presentation(state).auto) return;
  turned += 1;
  render();
}, AUTO_TURN_MS);

openMeeting({
  meetingId: config.meeting_id,
  display: true,
  handlers: {
    snapshot(snapshot) { state = reduce(state, { type: 'snapshot', snapshot }); render(); },
    event(event) { state = reduce(state, event); forgetWithdrawnCode(event); render(); },
    presence(message) { state = reduce(state, message); },
    // the room's language changed (from another display or the board): show the page in it
    displayLanguage({ language }) {
      if (language !== document.documentElement.lang) window.location.reload();
    },
    status,
    closed(reason) { setText(statusElement, config.strings[`closed_${reason}`] || config.strings.closed_signed_out); },
  },
});

let resizing = null;
window.addEventListener('resize', () => { clearTimeout(resizing); resizing = setTimeout(render, 100); });

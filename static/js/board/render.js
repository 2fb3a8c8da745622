// Rendering the board page: the shown state to the screen (every part of the page, cards by
// id from <template>s, text through textContent) and to the ear (others' changes, the step,
// the countdown). Reads the state; never changes it. Each part's own renderer lives with
// its part (view.js: cards and people; meeting.js; statements.js; scale.js …); this module is
// the one list of them and the one place that decides when the page is drawn again.
import { format } from '../lib/dom.js';
import { announcer, firstWords, stepLength, timerMessage } from './announce.js';
import { renderRoomPeople, renderWriters } from './composer.js';
import { prepareInvolved, renderInvolved } from './involved.js';
import { renderItemPeople } from './item_people.js';
import { renderFamilyTime } from './family_time.js';
import { followStep, inOwnLanguage, renderMeeting, renderTimer, you } from './meeting.js';
import { cueFor } from '../lib/timer_cues.js';
import { renderScale } from './scale.js';
import { currentStep, secondsLeft } from './state.js';
import { prepareBuilders, renderStatements } from './statements.js';
import { adoptCard, markWithdrawnCode, renderBoard, renderPeople, sectionTitles, showStatus } from './view.js';
import { renderWorksheet } from './worksheet.js';
import { renderPresent } from '../display/present.js';

/** The page's renderer. state(): what to show. */
export function createRenderer(config, state, afterRender = () => {}) {
  const root = document.getElementById('map');
  const people = document.getElementById('people');
  const scale = document.getElementById('scale');
  const involved = document.getElementById('involved');
  const statusElement = document.getElementById('status');
  const announce = announcer(document.getElementById('announcer'), config.strings);
  const titles = sectionTitles(config);
  let closed = false;
  let lastSeconds = null;
  prepareBuilders(root, config);
  prepareInvolved(involved);

  function render() {
    const shown = state();
    renderBoard(root, shown, config);
    renderPeople(people, shown, config);
    renderMeeting(shown, config);
    renderFamilyTime(shown, config);
    renderStatements(root, shown, config);
    renderItemPeople(root, shown, config);
    renderInvolved(involved, shown, config);
    renderWorksheet(shown, config);
    renderScale(scale, shown, config);
    renderPresent(document.getElementById('present-panel'), shown);
    renderWriters(root, shown, config.strings);
    renderRoomPeople(document.getElementById('room-person-form'), shown);
    afterRender();
  }

  /** Who is here changed: only the parts that show people. */
  function renderPresence() {
    renderPeople(people, state(), config);
    renderMeeting(state(), config);
    renderScale(scale, state(), config);
  }

  // The countdown runs on the server's clock. The clock on screen ticks each second but is
  // no live region; the announcer says the time each minute, at one minute, 30 s and zero.
  setInterval(() => {
    const bar = document.getElementById('meeting-bar');
    if (!bar) return;
    renderTimer(bar, state(), config);
    const seconds = state().meeting.status === 'live' ? secondsLeft(state()) : null;
    announce(timerMessage(lastSeconds, seconds, config.strings), { key: 'timer' });
    // the chime sounds on the facilitator's screen only (and on the room's display)
    const cue = cueFor(lastSeconds, seconds);
    if (cue && you(state())?.role === 'facilitator') config.chime?.play(cue);
    lastSeconds = seconds;
  }, 1000);

  /** Tell screen readers what happened: the step and the scale to everyone, others' changes
   * to the board briefly (one's own changes are on screen where one made them). */
  function describe(event) {
    const shown = state();
    if (event.type === 'step_changed' && currentStep(shown)) {
      const step = format(config.strings.step_announce, { num: shown.meeting.step_index + 1, title: inOwnLanguage(config, currentStep(shown).title) });
      announce(`${step}. ${stepLength(secondsLeft(shown), config.strings)}`.trim(), { key: 'step' });
      lastSeconds = secondsLeft(shown); // the countdown starts over: no "time up" for the step left
      // everyone follows the facilitator to the step's sections, unless they are typing
      const typing = document.activeElement?.matches('textarea, input');
      if (!typing && event.actor?.id !== shown.you) followStep(shown, config);
    }
    if (event.type === 'scale_round_opened' || event.type === 'scale_round_reopened') announce(config.strings.announce_scale_opened);
    if (event.type === 'scale_round_revealed') announce(config.strings.announce_scale_revealed);
    if (event.actor && event.actor.id === shown.you) return;
    const change = (template, values) => announce(format(template, values), { change: true });
    const item = event.item;
    const section = titles.get(item?.section || event.section) || '';
    const name = event.actor?.name || config.strings.anonymous;
    const text = item && !item.hidden ? firstWords(item.text) : '';
    if ((event.type === 'item_added' || event.type === 'pre_meeting_input_brought') && !item.hidden) change(config.strings.announce_added, { name, section, text });
    if (event.type === 'item_edited' && !item.hidden) change(config.strings.announce_edited, { name, section, text });
    if (event.type === 'item_moved') change(config.strings.announce_moved, { name, section, text });
    if (event.type === 'item_deleted') change(config.strings.announce_deleted, { section });
    if (event.type === 'item_restored' && !item.hidden) change(config.strings.announce_added, { name, section, text });
    if (event.type === 'person_added') change(config.strings.involved_added, { name: event.actor.name, person: event.person.name });
    if (event.type === 'person_removed') change(config.strings.involved_removed, { person: event.person.name });
  }

  /** An event was applied: the saved item takes over its provisional card (same element,
   *  focus kept, no blink), the page is drawn again, and others' changes are told. */
  function renderEvent(event, catchingUp, provisional) {
    if (provisional) adoptCard(root, provisional, event.item.id);
    if (!catchingUp) describe(event);
    markWithdrawnCode(event, config);
    render();
  }

  function status(name, waiting) {
    if (closed) return;
    showStatus(statusElement, config, name, waiting);
    document.body.classList.toggle('is-waiting', name === 'offline' || name === 'retrying');
  }

  function close(reason) {
    closed = true;
    document.body.classList.add('is-closed');
    statusElement.className = 'status status-closed';
    statusElement.textContent = config.strings[`closed_${reason}`] || config.strings.closed_signed_out;
    for (const control of root.querySelectorAll('textarea, button, select')) control.disabled = true;
    for (const control of scale?.querySelectorAll('input, button') ?? []) control.disabled = true;
  }

  function alert(message) {
    statusElement.className = 'status status-error';
    statusElement.textContent = message;
    announce(message);
  }

  return { render, renderPresence, renderEvent, renderEditing: () => renderMeeting(state(), config), status, close, alert, announce };
}

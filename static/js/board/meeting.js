// The meeting around the map: steps and the timer, the presenter's question, signals,
// and the facilitator's controls (agenda, write policy, locks, private collection,
// spotlight, merge, roles, closing). Rendering only reads state;
// the controls' clicks are rows of intents.js.
import { cloneTemplate, format, setText } from '../lib/dom.js';
import { currentStep, mergedInto, secondsLeft, sectionItems } from './state.js';
import { cueText, phaseOf } from '../lib/timer_cues.js';

export function you(state) {
  return state.participants.find((person) => person.id === state.you) || null;
}

export function leads(state, config) {
  return !config.display && state.meeting.status === 'live' && you(state)?.role === 'facilitator';
}

export function clock(seconds) {
  if (seconds === null) return '--:--';
  const sign = seconds < 0 ? '−' : '';
  const left = Math.abs(seconds);
  return `${sign}${Math.floor(left / 60)}:${String(left % 60).padStart(2, '0')}`;
}

function stepSections(state, config) {
  const step = currentStep(state);
  if (!step) return new Set();
  const named = new Set(step.sections || []);
  return new Set(config.framework.sections.filter((s) => named.has(s.key) || named.has(s.column)).map((s) => s.key));
}

function renderStep(bar, state, config) {
  const { agenda = [], step_index: index = -1 } = state.meeting;
  const step = currentStep(state);
  setText(bar.querySelector('[data-step-label]'), step ? format(config.strings.step_of, { num: index + 1, count: agenda.length }) : config.strings.not_started);
  setText(bar.querySelector('[data-step-title]'), step ? inOwnLanguage(config, step.title) : (agenda[0] ? format(config.strings.first_step, { title: inOwnLanguage(config, agenda[0].title) }) : ''));
  setText(bar.querySelector('[data-step-purpose]'), step ? inOwnLanguage(config, step.purpose) : '');
  renderTimer(bar, state, config);
  const next = bar.querySelector('[data-action="step-next"]');
  if (next) {
    setText(next, index < 0 ? config.strings.start : config.strings.next_step);
    next.disabled = index >= agenda.length - 1;
    bar.querySelector('[data-action="step-prev"]').disabled = index <= 0;
    bar.querySelector('[data-action="add-time"]').disabled = index < 0;
  }
}

export function renderTimer(bar, state, config) {
  const timer = bar.querySelector('[data-timer]');
  const seconds = state.meeting.status === 'live' ? secondsLeft(state) : null;
  setText(timer, clock(seconds));
  timer.classList.toggle('is-over', seconds !== null && seconds < 0);
  // the last minute and time up, seen (the announcer says them; the chime: render.js)
  const phase = phaseOf(seconds);
  timer.classList.toggle('is-last-minute', phase === 'last-minute');
  const cue = bar.querySelector('[data-timer-cue]');
  if (cue) {
    setText(cue, cueText(phase, config.strings));
    cue.dataset.phase = phase;
  }
  const mute = bar.querySelector('[data-action="mute-chime"]');
  if (mute && config.chime) mute.setAttribute('aria-pressed', String(config.chime.muted));
}

function renderSignals(bar, state, config) {
  const me = you(state);
  const hand = bar.querySelector('[data-action="hand"]');
  if (!hand) return;
  hand.setAttribute('aria-pressed', String(Boolean(me?.hand_raised)));
  setText(hand, me?.hand_raised ? config.strings.lower_hand : config.strings.raise_hand);
  bar.querySelector('[data-action="ready"]').setAttribute('aria-pressed', String(Boolean(me?.ready)));
  // people in the room without a device raise no hand and say nothing is ready
  const people = state.participants.filter((p) => p.role !== 'display' && p.role !== 'in_room');
  const hands = people.filter((p) => p.hand_raised);
  const ready = people.filter((p) => p.ready).length;
  // "Hands up: Dana · Ready: 1 of 3": the names belong to the hands, never to "ready"
  const said = [
    hands.length ? format(config.strings.hands_up, { names: hands.map((p) => p.name).join(', ') }) : '',
    hands.length || ready ? format(config.strings.ready_count, { ready, count: people.length }) : '',
  ];
  setText(bar.querySelector('[data-signal-count]'), said.filter(Boolean).join(' · '));
  const live = state.meeting.status === 'live';
  for (const button of bar.querySelectorAll('.signals button')) button.disabled = !live;
}

function renderSections(root, state, config) {
  const inStep = stepSections(state, config);
  const lead = leads(state, config);
  const { locked_sections: locked = [], private_sections: collecting = [] } = state.meeting;
  for (const section of root.querySelectorAll('section.section')) {
    const key = section.dataset.section;
    section.classList.toggle('in-step', inStep.has(key));
    section.classList.toggle('is-locked', locked.includes('*') || locked.includes(key));
    section.classList.toggle('is-private', collecting.includes(key));
    const isLocked = locked.includes('*') || locked.includes(key);
    let stateLabel = section.querySelector('.section-state');
    if (!stateLabel) {
      stateLabel = document.createElement('span');
      stateLabel.className = 'section-state';
      section.querySelector('.section-head h3').append(stateLabel);
    }
    setText(stateLabel, [isLocked ? config.strings.locked : '', collecting.includes(key) ? config.strings.private : ''].filter(Boolean).join(' · '));
    let tools = section.querySelector('.section-tools');
    if (!tools && lead) {
      tools = cloneTemplate('tpl-section-tools');
      section.querySelector('.section-head').append(tools);
    }
    if (!tools) continue;
    tools.hidden = !lead;
    const lock = tools.querySelector('[data-action="lock-section"]');
    lock.setAttribute('aria-pressed', String(locked.includes(key)));
    setText(lock, locked.includes(key) ? config.strings.unlock : config.strings.lock);
    const gather = tools.querySelector('[data-action="collect-privately"]');
    gather.setAttribute('aria-pressed', String(collecting.includes(key)));
    setText(gather, collecting.includes(key) ? config.strings.reveal_section : config.strings.collect_privately);
  }
}

function renderCards(root, state, config) {
  const lead = leads(state, config);
  for (const card of root.querySelectorAll('li.item')) {
    const id = Number(card.dataset.itemId);
    const item = state.items.get(id);
    if (!item) continue;
    card.classList.toggle('is-spotlit', state.meeting.spotlight_item_id === id);
    const editor = state.editing.get(id);
    let editingNote = card.querySelector('.editing-note');
    if (editor && !editingNote) { editingNote = document.createElement('p'); editingNote.className = 'editing-note'; card.querySelector('.item-meta').after(editingNote); }
    if (editingNote) {
      editingNote.hidden = !editor;
      setText(editingNote, editor ? (editor.name ? format(config.strings.editing_now, { name: editor.name }) : config.strings.editing_someone) : '');
    }
    card.classList.toggle('is-hidden-item', Boolean(item.hidden));
    const folded = mergedInto(state, id);
    let badge = card.querySelector('.merged');
    if (folded.length && !badge) { badge = cloneTemplate('tpl-merged'); card.append(badge); }
    if (badge) {
      badge.hidden = !folded.length;
      setText(badge.querySelector('.merged-count'), format(config.strings.merged_count, { num: folded.length }));
      const undo = badge.querySelector('[data-action="unmerge"]');
      undo.hidden = !lead || !folded.length;
      if (folded.length) undo.dataset.itemId = String(folded[folded.length - 1].id);
    }
    let tools = card.querySelector('.lead-item-tools');
    if (!tools && lead && !config.display) { tools = cloneTemplate('tpl-lead-item-tools'); card.append(tools); }
    if (!tools) continue;
    tools.hidden = !lead || item.hidden;
    const spot = tools.querySelector('[data-action="spotlight"]');
    setText(spot, state.meeting.spotlight_item_id === id ? config.strings.spotlight_off : config.strings.spotlight);
    fillMergeSelect(tools.querySelector('[data-action="merge-into"]'), state, item, config);
    const anyOpen = [...state.rounds.values()].some((round) => round.status === 'open');
    tools.querySelector('[data-action="scale-danger"]').hidden = item.section !== 'danger' || anyOpen;
  }
}

function fillMergeSelect(select, state, item, config) {
  // in the order the cards stand on the screen
  const targets = sectionItems(state, item.section).filter((other) => other.id !== item.id && !other.hidden);
  select.replaceChildren(new Option(config.strings.merge_into, ''));
  for (const other of targets) select.append(new Option(other.text.slice(0, 60), String(other.id)));
  select.disabled = !targets.length;
}

function renderQuestion(state) {
  const box = document.querySelector('[data-question]');
  if (!box) return;
  box.hidden = !state.meeting.question;
  setText(box.querySelector('[data-question-text]'), state.meeting.question || '');
  for (const input of document.querySelectorAll('[data-question-form] textarea')) {
    if (document.activeElement !== input && !input.dataset.dirty) input.value = state.meeting.question || '';
  }
}

function renderAgendaForm(state) {
  const form = document.querySelector('[data-agenda-form]');
  if (!form || form.dataset.dirty) return;
  const rows = form.querySelector('[data-agenda-rows]');
  rows.replaceChildren(...(state.meeting.agenda || []).map(agendaRow));
}

/** A built-in step's title or purpose in the viewer's language; an edited one as written. */
export function inOwnLanguage(config, text) {
  return (config.agenda_texts || {})[text] ?? text;
}

export function agendaRow(step = { title: '', minutes: 5 }) {
  const row = cloneTemplate('tpl-agenda-row');
  row.querySelector('[name="title"]').value = step.title;
  row.querySelector('[name="minutes"]').value = String(step.minutes);
  row.dataset.step = JSON.stringify(step);
  return row;
}

export function renderMeeting(state, config) {
  const bar = document.getElementById('meeting-bar');
  if (!bar) return;
  renderStep(bar, state, config);
  renderSignals(bar, state, config);
  renderQuestion(state);
  const lead = leads(state, config);
  for (const element of document.querySelectorAll('[data-lead-only]')) element.hidden = !lead;
  const presents = !config.display && state.meeting.status === 'live' && you(state)?.role === 'presenter';
  for (const element of document.querySelectorAll('[data-presenter-only]')) element.hidden = !presents;
  const closed = state.meeting.status === 'closed';
  const banner = document.querySelector('[data-closed-banner]');
  if (banner) banner.hidden = !closed;
  document.body.classList.toggle('is-meeting-closed', closed);
  const follow = bar.querySelector('[data-action="follow"]');
  if (follow) follow.hidden = !stepSections(state, config).size;
  const policy = document.querySelector('[data-write-policy]');
  if (policy) policy.value = state.meeting.write_policy || 'everyone';
  const initials = document.querySelector('[data-show-initials]');
  if (initials) initials.checked = Boolean(state.meeting.show_initials);
  renderAgendaForm(state);
  const root = document.getElementById('map');
  if (root) { renderSections(root, state, config); renderCards(root, state, config); }
}

/** Scroll the first section of the current step into view. */
export function followStep(state, config) {
  const [first] = stepSections(state, config);
  const section = first && document.querySelector(`section.section[data-section="${first}"]`);
  if (section) section.scrollIntoView({ behavior: matchMedia('(prefers-reduced-motion: reduce)').matches ? 'auto' : 'smooth', block: 'start' });
}

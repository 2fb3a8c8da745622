// The scaling round: private 0-10 ratings, revealed all at once as a dot plot.
// User text only ever goes in through textContent. Its forms and buttons: rows of intents.js.
import { openComposer, writtenFor } from './composer.js';
import { format, formatNumber, setText } from '../lib/dom.js';

const SVG = 'http://www.w3.org/2000/svg';
const PLOT = { left: 20, right: 420, axis: 78, dot: 7 };
const STRENGTHS = ['strengths', 'working_well'];
const NEXT_STEPS = ['next_steps', 'next'];

/** The round to show: the open one, else the latest. */
export function currentRound(state) {
  const rounds = [...state.rounds.values()].sort((a, b) => a.id - b.id);
  return rounds.find((round) => round.status === 'open') ?? rounds.at(-1) ?? null;
}

function me(state) {
  return state.participants.find((person) => person.id === state.you) ?? null;
}

const revealedInStep = new Map(); // round id -> the step it was first seen revealed in

/** Whether the meeting went to another step after this round was revealed (the step
 * index seen at the reveal, or for a page loaded later the times, which are in seconds). */
export function movedOnSince(state, round) {
  if (!round) return false;
  if (round.status !== 'revealed') { revealedInStep.delete(round.id); return false; }
  if (!revealedInStep.has(round.id)) revealedInStep.set(round.id, state.meeting.step_index);
  if (revealedInStep.get(round.id) !== state.meeting.step_index) return true;
  const { step_started_at: started } = state.meeting;
  return Boolean(started && round.revealed_at) && Date.parse(started) > Date.parse(round.revealed_at);
}

/** How many of the people here may rate (observers and the display watch). */
export function raters(state) {
  return state.participants.filter((person) => person.role !== 'observer' && person.role !== 'display').length;
}

/** Where a value 0-10 sits on the plot's x axis. */
export function xOf(value) {
  return PLOT.left + (value / 10) * (PLOT.right - PLOT.left);
}

function svg(name, attributes, text) {
  const element = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
  if (text !== undefined) element.textContent = text;
  return element;
}

function drawPlot(plot, round, config) {
  plot.replaceChildren();
  plot.append(svg('line', { x1: PLOT.left, x2: PLOT.right, y1: PLOT.axis, y2: PLOT.axis, class: 'scale-axis' }));
  for (let value = 0; value <= 10; value += 1) {
    plot.append(svg('line', { x1: xOf(value), x2: xOf(value), y1: PLOT.axis, y2: PLOT.axis + 5, class: 'scale-tick' }));
    plot.append(svg('text', { x: xOf(value), y: PLOT.axis + 17, class: 'scale-tick-label', 'text-anchor': 'middle' }, String(value)));
  }
  const stacked = new Map();
  for (const rating of round.ratings ?? []) {
    const height = stacked.get(rating.value) ?? 0;
    stacked.set(rating.value, height + 1);
    const dot = svg('circle', { cx: xOf(rating.value), cy: PLOT.axis - PLOT.dot - 1 - height * (PLOT.dot * 2 + 1), r: PLOT.dot, class: 'scale-dot' });
    dot.append(svg('title', {}, String(rating.value)));
    plot.append(dot);
  }
  const spread = round.spread;
  if (!spread || !spread.count) return;
  // min / median / max: a mark and a text label each, never colour alone
  // lowest reads leftwards and highest rightwards from their marks, so the two never meet
  // (unless that would run off the plot's edge)
  const marks = [
    ['min', spread.min, xOf(spread.min) < PLOT.left + 70 ? 'start' : 'end'],
    ['median', spread.median, 'middle'],
    ['max', spread.max, xOf(spread.max) > PLOT.right - 70 ? 'end' : 'start'],
  ];
  for (const [kind, value, anchor] of marks) {
    if (kind !== 'median' && spread.min === spread.max) continue;
    const x = xOf(value);
    const y = kind === 'median' ? 127 : 112;
    plot.append(svg('line', { x1: x, x2: x, y1: PLOT.axis + 21, y2: y - 11, class: `scale-mark scale-mark-${kind}` }));
    plot.append(svg('text', { x, y, class: `scale-mark-label scale-mark-${kind}`, 'text-anchor': anchor }, format(config.strings[`scale_${kind}`], { value: formatNumber(value) })));
  }
}

function fillRatings(list, round, config) {
  list.replaceChildren();
  for (const rating of [...(round.ratings ?? [])].sort((a, b) => b.value - a.value)) {
    const row = document.createElement('li');
    const head = document.createElement('strong');
    // "Rosa, via Sam" when a scribe gave the rating for someone in the room
    const name = rating.via ? format(config.strings.via, { name: rating.name, scribe: rating.via }) : rating.name;
    head.textContent = name
      ? format(config.strings.scale_rating_named, { name, value: rating.value })
      : format(config.strings.scale_rating_anonymous, { value: rating.value });
    row.append(head);
    if (rating.reason) {
      const reason = document.createElement('span');
      reason.className = 'scale-reason';
      reason.textContent = rating.reason;
      row.append(' ', reason);
    }
    list.append(row);
  }
}

function part(root, name) {
  return root.querySelector(`[data-scale="${name}"]`);
}

function fillRateForm(form, round, config) {
  if (form.dataset.roundId !== String(round.id)) {
    form.dataset.roundId = String(round.id);
    delete form.dataset.dirty;
  }
  const mine = round.mine;
  setText(part(form, 'mine'), mine ? format(config.strings.scale_mine, { value: mine.value }) : '');
  if (form.dataset.dirty) return; // keep what the user is choosing
  for (const radio of form.querySelectorAll('input[name="value"]')) radio.checked = mine ? Number(radio.value) === mine.value : false;
  form.elements.reason.value = mine ? mine.reason : '';
}

/** Whether the round has enough ratings to be revealed (the server refuses fewer). */
export function mayReveal(round) {
  return Boolean(round) && round.rated.length >= (round.reveal_threshold ?? 0);
}

/** "n of k have rated" for the facilitator, and a Reveal button that says why it waits. */
function showThreshold(lead, round, open, config) {
  const reveal = lead.querySelector('[data-scale-action="reveal"]');
  const line = part(lead, 'threshold');
  reveal.hidden = !open;
  line.hidden = !open;
  if (!open) return;
  const ready = mayReveal(round);
  reveal.disabled = !ready;
  line.classList.toggle('is-waiting', !ready);
  const key = ready ? 'scale_threshold_met' : 'scale_threshold_waiting';
  setText(line, format(config.strings[key], { count: round.rated.length, needed: round.reveal_threshold }));
}

export function renderScale(root, state, config) {
  if (!root) return;
  const round = currentRound(state);
  const lead = part(root, 'lead');
  const leads = !config.display && me(state)?.role === 'facilitator' && state.meeting.status !== 'closed';
  // The projector puts a revealed round away once the facilitator moves to another step:
  // otherwise the plot stays on top for the rest of the meeting and squeezes the map.
  root.hidden = (!round && !leads) || (config.display && movedOnSince(state, round));
  const mode = config.framework.mode === 'family' ? 'family' : 'professional';
  setText(part(root, 'anchor-10'), config.strings[`scale_anchor_${mode}_10`]);
  setText(part(root, 'anchor-0'), config.strings[`scale_anchor_${mode}_0`]);
  const open = round?.status === 'open';
  const revealed = round?.status === 'revealed';
  root.classList.toggle('is-open', open);
  root.classList.toggle('is-revealed', revealed);
  let stateText = '';
  if (open) stateText = `${config.strings.scale_open} ${config.strings.scale_waiting}`;
  if (revealed) stateText = config.strings.scale_revealed;
  if (round) stateText += ` · ${round.anonymous ? config.strings.scale_anonymous : config.strings.scale_named}`;
  setText(part(root, 'state'), stateText);
  const danger = round?.danger_item_id ? state.items.get(round.danger_item_id) : null;
  part(root, 'subject').hidden = !danger;
  setText(part(root, 'subject'), danger ? format(config.strings.scale_for_danger, { text: danger.text }) : '');
  part(root, 'anchors').hidden = !round;
  const count = part(root, 'count');
  count.hidden = !round;
  if (round) setText(count, format(config.strings.scale_count, { count: round.rated.length, total: Math.max(raters(state), round.rated.length) }));

  if (lead) {
    lead.hidden = !leads;
    part(lead, 'open-form').hidden = open;
    showThreshold(lead, round, open, config);
    lead.querySelector('[data-scale-action="reopen"]').hidden = !revealed;
  }
  const form = part(root, 'rate-form');
  if (form) {
    const role = me(state)?.role;
    form.hidden = !open || !role || role === 'observer';
    if (open) fillRateForm(form, round, config);
  }
  const result = part(root, 'result');
  result.hidden = !revealed;
  if (revealed) {
    drawPlot(part(root, 'plot'), round, config);
    const { spread } = round;
    setText(part(root, 'summary'), spread.count ? format(config.strings.scale_summary, { count: spread.count, min: formatNumber(spread.min), median: formatNumber(spread.median), max: formatNumber(spread.max) }) : config.strings.scale_none);
    fillRatings(part(root, 'ratings'), round, config);
    const followups = part(root, 'followups');
    if (followups) followups.hidden = !spread.count || state.meeting.status === 'closed';
  }
}

function errorMessage(config, ack) {
  return format(config.strings.error_generic, { message: ack.error?.message ?? '' });
}

/** Open (with its "+ Add"), prefill and focus the add box of the first of these sections
 * on the map. */
function followUp(app, sections, round) {
  const config = app.config;
  for (const section of sections) {
    const form = document.querySelector(`#map .add-form[data-section="${section}"]`);
    const textarea = form?.querySelector('textarea');
    if (!textarea) continue;
    openComposer(document.getElementById('map'), form, app.state());
    if (!textarea.value.trim()) textarea.value = format(config.strings.scale_followup_prefill, { value: formatNumber(round.spread.median) });
    textarea.dispatchEvent(new Event('input', { bubbles: true }));
    textarea.scrollIntoView({ block: 'center' });
    textarea.focus();
    textarea.setSelectionRange(textarea.value.length, textarea.value.length);
    return;
  }
}

/** A refusal shown in the scale panel (or the status line when the panel has no place for it). */
function showScaleError(app, message) {
  const error = part(document.getElementById('scale'), 'error');
  if (!error) { app.alert(message); return; }
  error.hidden = !message;
  error.textContent = message ?? '';
}

/** The facilitator opens a round: for the whole case (its own form), anonymous or not. */
export async function openRound(app, form) {
  const ack = await app.send('open_scale_round', { danger_item_id: null, anonymous: form.elements.anonymous.checked });
  if (!ack.ok) app.alert(errorMessage(app.config, ack));
}

/** One's own rating (a number and maybe a reason), private until revealed. */
export async function rate(app, form) {
  const { config } = app;
  const round = currentRound(app.state());
  if (!round) return;
  const chosen = form.querySelector('input[name="value"]:checked');
  if (!chosen) { showScaleError(app, config.strings.scale_choose); form.querySelector('input[name="value"]').focus(); return; }
  const button = form.querySelector('button[type="submit"]');
  button.disabled = true;
  const ack = await app.send('rate', { round_id: round.id, value: Number(chosen.value), reason: form.elements.reason.value, ...writtenFor(form) });
  button.disabled = false;
  if (!ack.ok) { showScaleError(app, errorMessage(config, ack)); return; }
  showScaleError(app, null);
  delete form.dataset.dirty;
  setText(part(form, 'mine'), config.strings.scale_saved);
}

/** The panel's buttons: reveal and reopen (ops), and the follow-ups after a reveal. */
export async function scaleAction(app, button) {
  const round = currentRound(app.state());
  if (!round) return;
  const action = button.dataset.scaleAction;
  if (action === 'reveal' || action === 'reopen') {
    const ack = await app.send(`${action}_scale_round`, { round_id: round.id });
    if (!ack.ok) app.alert(errorMessage(app.config, ack));
  }
  if (action === 'followup-high') followUp(app, STRENGTHS, round);
  if (action === 'followup-higher') followUp(app, NEXT_STEPS, round);
}

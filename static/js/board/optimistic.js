// Optimistic apply: what the board shows is this client's unacknowledged operations folded
// over the confirmed state (server events only, state.js). Pure: no DOM, no socket, nothing
// stored. One small predictor per operation type says what the server will most likely do;
// a type with no predictor changes nothing here (its control shows it is pending instead).
// The server decides: reconcile.js settles each operation by its ack and its event.
import { sectionItems } from './state.js';

const PROVISIONAL = 'pending:';

/** The local id of an item or person an add operation will create. */
export function provisionalId(opId) {
  return `${PROVISIONAL}${opId}`;
}

export function isProvisional(id) {
  return typeof id === 'string' && id.startsWith(PROVISIONAL);
}

const TOP = '\uffff';

/**
 * A string that sorts (by code unit, as positions do) after low and before high; null low is
 * the start of the section, null high its end. Only for display: the server computes real
 * order keys (docs/protocol.md §12), and clients never send positions.
 */
export function positionBetween(low, high) {
  const from = low ?? '';
  if (high === null || high === undefined) return from + TOP;
  let i = 0;
  while (i < from.length && from[i] === high[i]) i += 1;
  if (i < from.length) return from + TOP; // from[i] < high[i]: anything longer than from fits
  const rest = high.slice(from.length);
  if (!rest) return from; // no room between equal keys: the tie is broken by id
  const code = rest.charCodeAt(0);
  if (code > 0) return from + String.fromCharCode(code - 1) + TOP;
  return from + rest[0] + positionBetween('', rest.slice(1));
}

/** Every position in a section, sorted, as the server reads them (merged and hidden too). */
function positionsIn(state, section, exclude) {
  return [...state.items.values()]
    .filter((item) => item.section === section && item.id !== exclude)
    .map((item) => item.position)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function withItem(state, item) {
  const items = new Map(state.items);
  items.set(item.id, item);
  return { ...state, items };
}

function withMeeting(state, changes) {
  return { ...state, meeting: { ...state.meeting, ...changes } };
}

function withParticipant(state, id, changes) {
  return { ...state, participants: state.participants.map((p) => (p.id === id ? { ...p, ...changes } : p)) };
}

function withPerson(state, person) {
  const involved = new Map(state.involved);
  involved.set(person.id, person);
  return { ...state, involved };
}

/** The server's clock as an ISO string with whole seconds, as it sends step times. */
function serverTime(state, now, plusSeconds = 0) {
  const ms = now + (state.clockOffset || 0) + plusSeconds * 1000;
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const you = (state) => state.participants.find((p) => p.id === state.you);

const PREDICTORS = {
  add_item(state, { op_id: opId, payload }) {
    if (typeof payload.section !== 'string') return state;
    const positions = positionsIn(state, payload.section, null);
    const me = you(state);
    return withItem(state, {
      id: provisionalId(opId),
      section: payload.section,
      position: positionBetween(positions.length ? positions[positions.length - 1] : null, null),
      text: String(payload.text ?? '').trim(),
      view: payload.view || 'agency',
      version: 1,
      author: { id: state.you, name: me ? me.name : '' },
      anonymous: Boolean(payload.anonymous),
      mine: true,
      hidden: (state.meeting.private_sections || []).includes(payload.section),
      parts: payload.parts ?? null,
      merged_into_id: null,
      provisional: true,
      pending: true,
    });
  },

  edit_item(state, { payload }) {
    const item = state.items.get(payload.item_id);
    // a stale base version is refused as a conflict: predict nothing, the user will choose
    if (!item || item.version !== payload.base_version) return state;
    const parts = 'parts' in payload ? payload.parts ?? null : item.parts;
    return withItem(state, { ...item, text: String(payload.text ?? '').trim(), view: payload.view ?? item.view, parts, version: item.version + 1, pending: true });
  },

  move_item(state, { payload }) {
    const item = state.items.get(payload.item_id);
    if (!item || typeof payload.section !== 'string') return state;
    const afterId = payload.after_id ?? null;
    const after = afterId === null ? null : state.items.get(afterId);
    if (afterId !== null && (!after || after.section !== payload.section || after.id === item.id)) return state;
    const low = after ? after.position : null;
    const high = positionsIn(state, payload.section, item.id).find((p) => low === null || p > low) ?? null;
    return withItem(state, { ...item, section: payload.section, position: positionBetween(low, high), pending: true });
  },

  delete_item(state, { payload }) {
    if (!state.items.has(payload.item_id)) return state;
    const items = new Map(state.items);
    items.delete(payload.item_id);
    return { ...state, items };
  },

  set_next_step_status(state, { payload }) {
    const item = state.items.get(payload.item_id);
    return item ? withItem(state, { ...item, status: payload.status, version: item.version + 1, pending: true }) : state;
  },

  go_to_step(state, { payload }, now) {
    const step = (state.meeting.agenda || [])[payload.index];
    if (!step) return state;
    return withMeeting(state, { step_index: payload.index, step_started_at: serverTime(state, now), step_ends_at: serverTime(state, now, step.minutes * 60) });
  },

  add_time(state, { payload }, now) {
    if (!state.meeting.step_ends_at) return state;
    const ends = Math.max(Date.parse(state.meeting.step_ends_at) + payload.minutes * 60_000, now + (state.clockOffset || 0));
    return withMeeting(state, { step_ends_at: new Date(ends).toISOString().replace(/\.\d{3}Z$/, 'Z') });
  },

  set_signal(state, { payload }) {
    const field = { hand: 'hand_raised', ready: 'ready' }[payload.signal];
    return field ? withParticipant(state, state.you, { [field]: Boolean(payload.on) }) : state;
  },

  clear_signals(state) {
    return { ...state, participants: state.participants.map((p) => ({ ...p, hand_raised: false, ready: false })) };
  },

  set_question(state, { payload }) {
    return withMeeting(state, { question: payload.text ? String(payload.text).trim() || null : null });
  },

  set_write_policy(state, { payload }) {
    return withMeeting(state, { write_policy: payload.policy });
  },

  set_show_initials(state, { payload }) {
    return withMeeting(state, { show_initials: Boolean(payload.on) });
  },

  lock_section(state, { payload }) {
    const locked = (state.meeting.locked_sections || []).filter((key) => key !== payload.section);
    return withMeeting(state, { locked_sections: payload.locked ? [...locked, payload.section] : locked });
  },

  spotlight(state, { payload }) {
    return withMeeting(state, { spotlight_item_id: payload.item_id ?? null });
  },

  set_role(state, { payload }) {
    return withParticipant(state, payload.participant_id, { role: payload.role });
  },

  rate(state, { payload }) {
    const round = state.rounds.get(payload.round_id);
    if (!round || round.status !== 'open') return state;
    const rated = [...new Set([...(round.rated || []), state.you])].sort((a, b) => a - b);
    const rounds = new Map(state.rounds);
    rounds.set(round.id, { ...round, rated, mine: { value: payload.value, reason: payload.reason ?? null }, pending: true });
    return { ...state, rounds };
  },

  add_person(state, { op_id: opId, payload }) {
    return withPerson(state, {
      id: provisionalId(opId), name: String(payload.name ?? '').trim(), relationship: payload.relationship || '',
      age: payload.age ?? null, household: payload.household || '', role: payload.role, version: 1,
      added_by: state.you, removed: false, provisional: true, pending: true,
    });
  },

  edit_person(state, { payload }) {
    const person = state.involved.get(payload.person_id);
    if (!person || person.version !== payload.base_version) return state;
    const changes = {};
    for (const key of ['name', 'relationship', 'age', 'household', 'role']) if (key in payload) changes[key] = payload[key];
    return withPerson(state, { ...person, ...changes, version: person.version + 1, pending: true });
  },

  remove_person(state, { payload }) {
    const person = state.involved.get(payload.person_id);
    return person ? withPerson(state, { ...person, removed: true, pending: true }) : state;
  },
};

/** Whether an operation type changes what the board shows before the server answers. */
export function predicts(type) {
  return Object.hasOwn(PREDICTORS, type);
}

/** The state to show: the pending operations, in the order they were made, over the confirmed state. */
export function predict(confirmed, pending, now = Date.now()) {
  let state = confirmed;
  for (const op of pending) {
    if (!predicts(op.type)) continue;
    try {
      state = PREDICTORS[op.type](state, op, now) ?? state;
    } catch {
      // a guess that cannot be made is not made: the server's answer will show the truth
    }
  }
  return state;
}

/**
 * The after_id to send for placing an item at index among a section's other items, never a
 * provisional item (it has no id the server knows): the nearest saved item before that
 * place, or null for the top.
 */
export function savedAfterId(state, section, itemId, index) {
  const before = sectionItems(state, section).filter((item) => item.id !== itemId).slice(0, Math.max(0, index));
  const saved = before.filter((item) => !isProvisional(item.id));
  return saved.length ? saved[saved.length - 1].id : null;
}

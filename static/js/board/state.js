// The board's state, changed only by this pure reducer fed with server messages.
// Events carry what changed in the snapshot's own shapes ("meeting", "item", "items",
// "participant", "participants", "scale_round", "person"), so a new kind of event needs no new
// case here.

export function initialState() {
  return { rev: 0, items: new Map(), participants: [], you: null, meeting: {}, rounds: new Map(), involved: new Map(), clockOffset: 0, editing: new Map() };
}

export function byPosition(a, b) {
  if (a.position < b.position) return -1;
  if (a.position > b.position) return 1;
  return a.id - b.id;
}

function upsertParticipants(list, changed) {
  const byId = new Map(list.map((p) => [p.id, p]));
  for (const person of changed) byId.set(person.id, { ...byId.get(person.id), ...person, online: byId.get(person.id)?.online ?? person.online });
  return [...byId.values()];
}

/** Milliseconds to add to Date.now() to get the server's clock. */
export function clockOffset(serverNow, localNow = Date.now()) {
  const parsed = Date.parse(serverNow);
  return Number.isNaN(parsed) ? 0 : parsed - localNow;
}

function fromSnapshot(state, snapshot) {
  return {
    ...state,
    rev: snapshot.rev,
    items: new Map(snapshot.items.map((item) => [item.id, item])),
    participants: snapshot.participants,
    you: snapshot.you ?? state.you,
    meeting: snapshot.meeting ?? {},
    rounds: new Map((snapshot.scale_rounds ?? []).map((round) => [round.id, round])),
    involved: new Map((snapshot.involved ?? []).map((person) => [person.id, person])),
    clockOffset: snapshot.server_now ? clockOffset(snapshot.server_now) : state.clockOffset,
    editing: state.editing ?? new Map(),
  };
}

export function reduce(state, message) {
  if (message.type === 'snapshot') return fromSnapshot(state, message.snapshot);
  if (message.type === 'presence') {
    // an editor whose person left is no longer editing
    const online = new Set(message.participants.filter((p) => p.online).map((p) => p.id));
    const editing = new Map([...state.editing].filter(([, who]) => who.participant_id === null || online.has(who.participant_id)));
    return { ...state, participants: message.participants, editing };
  }
  if (message.type === 'editing') {
    const editing = new Map(state.editing);
    if (message.item_id) editing.set(message.item_id, { participant_id: message.participant_id, name: message.name });
    else editing.delete(message.done_item_id);
    return { ...state, editing };
  }
  const next = { ...state, rev: message.rev ?? state.rev };
  if (message.meeting) next.meeting = { ...state.meeting, ...message.meeting };
  if (message.item || message.items) {
    next.items = new Map(state.items);
    for (const item of message.items ?? [message.item]) next.items.set(item.id, item);
  }
  if (message.type === 'item_deleted') {
    next.items = new Map(state.items);
    next.items.delete(message.item_id);
  }
  if (message.participant || message.participants) {
    next.participants = upsertParticipants(state.participants, message.participants ?? [message.participant]);
  }
  if (message.type === 'participant_removed') {
    next.participants = state.participants.filter((p) => p.id !== message.participant_id);
  }
  if (message.person) {
    next.involved = new Map(state.involved);
    next.involved.set(message.person.id, message.person); // removed ones stay: items name them
  }
  if (message.scale_round) {
    next.rounds = new Map(state.rounds);
    const round = { ...state.rounds.get(message.scale_round.id), ...message.scale_round };
    // only the rater's own copy of a rating carries its value (domain/visibility.py)
    // (a scribe's copy of a rating given for someone in the room is not their own)
    const own = state.you == null || message.rating?.participant_id === undefined || message.rating.participant_id === state.you;
    if (message.rating && message.rating.value !== undefined && own) round.mine = { value: message.rating.value, reason: message.rating.reason };
    next.rounds.set(message.scale_round.id, round);
  }
  return next;
}

/** The items shown in a section: merged duplicates fold into the item they were merged into. */
export function sectionItems(state, section) {
  return [...state.items.values()].filter((item) => item.section === section && !item.merged_into_id).sort(byPosition);
}

/** The items folded into this one. */
export function mergedInto(state, itemId) {
  return [...state.items.values()].filter((item) => item.merged_into_id === itemId);
}

/** The people around the child still on the case's list, in the order they were added. */
export function listedPeople(state) {
  return [...state.involved.values()].filter((person) => !person.removed).sort((a, b) => a.id - b.id);
}

/** The current step of the agenda, or null before the meeting starts. */
export function currentStep(state) {
  const { agenda = [], step_index: index = -1 } = state.meeting;
  return index >= 0 && index < agenda.length ? agenda[index] : null;
}

/** Whole seconds left in the current step by the server's clock (negative: over time). */
export function secondsLeft(state, localNow = Date.now()) {
  if (!state.meeting.step_ends_at) return null;
  return Math.round((Date.parse(state.meeting.step_ends_at) - (localNow + state.clockOffset)) / 1000);
}

/** A stable digest of what a board shows, for comparing two clients' views. */
export function boardDigest(state) {
  return [...state.items.values()]
    .sort((a, b) => (a.section === b.section ? byPosition(a, b) : a.section < b.section ? -1 : 1))
    .map((item) => `${item.id}:${item.section}:${item.position}:${item.version}`)
    .join('|');
}

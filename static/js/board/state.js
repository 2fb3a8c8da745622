// The board's state, changed only by this pure reducer fed with server messages.

export function initialState() {
  return { rev: 0, items: new Map(), participants: [], you: null };
}

export function byPosition(a, b) {
  if (a.position < b.position) return -1;
  if (a.position > b.position) return 1;
  return a.id - b.id;
}

export function reduce(state, message) {
  switch (message.type) {
    case 'snapshot':
      return {
        rev: message.snapshot.rev,
        items: new Map(message.snapshot.items.map((item) => [item.id, item])),
        participants: message.snapshot.participants,
        you: message.snapshot.you ?? state.you,
      };
    case 'presence':
      return { ...state, participants: message.participants };
    case 'item_added':
    case 'item_edited':
    case 'item_moved': {
      const items = new Map(state.items);
      items.set(message.item.id, message.item);
      return { ...state, rev: message.rev, items };
    }
    case 'item_deleted': {
      const items = new Map(state.items);
      items.delete(message.item_id);
      return { ...state, rev: message.rev, items };
    }
    case 'participant_removed':
      return {
        ...state,
        rev: message.rev,
        participants: state.participants.filter((p) => p.id !== message.participant_id),
      };
    default:
      return { ...state, rev: message.rev ?? state.rev };
  }
}

export function sectionItems(state, section) {
  return [...state.items.values()].filter((item) => item.section === section).sort(byPosition);
}

/** The item id to pass as after_id to place an item at index within a section's other items. */
export function afterIdForIndex(state, section, itemId, index) {
  const others = sectionItems(state, section).filter((item) => item.id !== itemId);
  return index <= 0 ? null : others[Math.min(index, others.length) - 1].id;
}

/** A stable digest of what a board shows, for comparing two clients' views. */
export function boardDigest(state) {
  return [...state.items.values()]
    .sort((a, b) => (a.section === b.section ? byPosition(a, b) : a.section < b.section ? -1 : 1))
    .map((item) => `${item.id}:${item.section}:${item.position}:${item.version}`)
    .join('|');
}

// Undo and redo of one's own changes. An undo is an ordinary operation (the inverse of the
// one it undoes), sent through the same pipeline: it syncs to everyone, is audited, and the
// server refuses it like any change. It can never undo another person's work: an inverse edit
// or delete carries the version it undoes (the server answers `conflict` if someone changed
// the item since), a restore is refused unless the sender deleted the item, and a move is
// undone only while the card is still where this user left it.
import { savedAfterId } from './optimistic.js';
import { sectionItems } from './state.js';

export const UNDOABLE = new Set(['add_item', 'edit_item', 'move_item', 'delete_item', 'restore_item']);
const LIMIT = 50;

/** An item's section and index among the section's other cards, or null. */
export function placeOf(state, itemId) {
  const item = state.items.get(itemId);
  if (!item) return null;
  return { section: item.section, index: sectionItems(state, item.section).findIndex((i) => i.id === itemId) };
}

/** What an operation changes, as it was before it is sent (the inverse needs it). */
export function beforeOf(state, type, payload) {
  if (!UNDOABLE.has(type) || type === 'add_item' || type === 'restore_item') return null;
  const item = state.items.get(payload.item_id);
  return item ? { item, place: placeOf(state, item.id) } : null;
}

/** The operation that undoes `type` (sent with `payload`), from the item before it and the
 *  server's event for it; null when there is nothing to undo. */
export function inverseOf(type, payload, before, event) {
  const after = event?.item;
  if ((type === 'add_item' || type === 'restore_item') && after) return { type: 'delete_item', payload: { item_id: after.id } };
  if (type === 'delete_item') return { type: 'restore_item', payload: { item_id: payload.item_id } };
  if (!before || !after) return null;
  if (type === 'edit_item') {
    const { text, view, parts } = before.item;
    return { type: 'edit_item', payload: { item_id: after.id, text, view, ...(parts ? { parts } : {}) } };
  }
  // back to the same index of the old section (its neighbours may have gone since)
  if (type === 'move_item') return { type: 'move_item', payload: { item_id: after.id, ...before.place } };
  return null;
}

/** How this user left an item with their last change: its version and place. */
export function leftAs(state, itemId) {
  const item = state.items.get(itemId);
  return item ? { version: item.version, ...placeOf(state, itemId) } : null;
}

/** The inverse ready to send against the board as it is now, or {stale: true} when someone
 *  else has changed the item since this user last left it (then it is not theirs to undo).
 *  An edit or delete carries the version it undoes, so the server checks the same. */
export function resolve(inverse, state, left) {
  const { type, payload } = inverse;
  const item = state.items.get(payload.item_id);
  if (type === 'restore_item') return item ? { stale: true } : { type, payload };
  const mark = left?.get(payload.item_id);
  const now = leftAs(state, payload.item_id);
  if (!item || !mark || now.version !== mark.version) return { stale: true };
  if (type === 'move_item') {
    if (now.section !== mark.section || now.index !== mark.index) return { stale: true };
    const { section, index } = payload;
    return { type, payload: { item_id: item.id, section, after_id: savedAfterId(state, section, item.id, index) } };
  }
  return { type, payload: { ...payload, base_version: item.version } };
}

/** Ctrl+Z (Cmd+Z) undoes, Ctrl+Shift+Z and Ctrl+Y redo; not in a text box (its own undo). */
export function undoKey(event) {
  if (!(event.ctrlKey || event.metaKey) || event.altKey) return null;
  if (event.target?.matches?.('textarea, input, select, [contenteditable]')) return null;
  const key = event.key.toLowerCase();
  if (key === 'z') return event.shiftKey ? 'redo' : 'undo';
  if (key === 'y' && !event.shiftKey) return 'redo';
  return null;
}

/** The user's own history: wraps `send` so each accepted undoable change can be undone.
 *  `tell(outcome, type)` reports: 'undone', 'redone', 'stale' (someone changed it since),
 *  'refused' (the server said no), 'nothing'. */
export function createHistory({ send, state, tell = () => {}, changed = () => {} }) {
  const done = [];
  const undone = [];
  const left = new Map(); // item id -> how this user's last change left it

  async function sendRecorded(type, payload, into) {
    const before = beforeOf(state(), type, payload);
    const ack = await send(type, payload);
    if (!ack?.ok) return ack;
    const itemId = ack.event?.item?.id;
    if (itemId) left.set(itemId, leftAs(state(), itemId));
    const inverse = UNDOABLE.has(type) ? inverseOf(type, payload, before, ack.event) : null;
    if (inverse) {
      into.push({ type, inverse });
      if (into.length > LIMIT) into.shift();
    }
    return ack;
  }

  /** Send a change of one's own; once accepted it can be undone (and nothing is left to redo). */
  async function record(type, payload) {
    const ack = await sendRecorded(type, payload, done);
    if (ack?.ok && UNDOABLE.has(type)) undone.length = 0;
    changed();
    return ack;
  }

  async function step(from, into, outcome) {
    const entry = from.pop();
    if (!entry) { tell('nothing'); changed(); return null; }
    const op = resolve(entry.inverse, state(), left);
    if (op.stale) { tell('stale', entry.type); changed(); return null; }
    const ack = await sendRecorded(op.type, op.payload, into);
    tell(ack?.ok ? outcome : 'refused', entry.type, ack);
    changed();
    return ack;
  }

  return {
    send: record,
    undo: () => step(done, undone, 'undone'),
    redo: () => step(undone, done, 'redone'),
    canUndo: () => done.length > 0,
    canRedo: () => undone.length > 0,
  };
}

// Undo and redo of one's own changes. An undo is an ordinary operation (the inverse of the
// one it undoes), sent through the same pipeline: it syncs to everyone, is audited, and the
// server refuses it like any change. It can never undo another person's work: an inverse edit
// or delete carries the version it undoes (the server answers `conflict` if someone changed
// the item since), a restore is refused unless the sender deleted the item, and a move is
// undone only while the card is still where this user left it.
import { afterIdForIndex, sectionItems } from './state.js';

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
  if ((type === 'add_item' || type === 'restore_item') && after) {
    return { type: 'delete_item', payload: { item_id: after.id, base_version: after.version } };
  }
  if (type === 'delete_item') return { type: 'restore_item', payload: { item_id: payload.item_id } };
  if (!before || !after) return null;
  if (type === 'edit_item') {
    const { text, view, parts } = before.item;
    return { type: 'edit_item', payload: { item_id: after.id, text, view, base_version: after.version, ...(parts ? { parts } : {}) } };
  }
  if (type === 'move_item') {
    // back to the same index of the old section (its neighbours may have gone since)
    return { type: 'move_item', payload: { item_id: after.id, ...before.place }, left: { section: after.section, position: after.position } };
  }
  return null;
}

/** The inverse ready to send against the board as it is now, or {stale: true} when someone
 *  has changed the item since (then it is not this user's to undo). */
export function resolve(inverse, state) {
  const { type, payload } = inverse;
  const item = state.items.get(payload.item_id);
  if (type === 'restore_item') return item ? { stale: true } : { type, payload };
  if (!item) return { stale: true };
  if (type === 'move_item') {
    if (item.section !== inverse.left.section || item.position !== inverse.left.position) return { stale: true };
    const { section, index } = payload;
    return { type, payload: { item_id: item.id, section, after_id: afterIdForIndex(state, section, item.id, index) } };
  }
  if (item.version !== payload.base_version) return { stale: true };
  return { type, payload };
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

  async function sendRecorded(type, payload, into) {
    const before = beforeOf(state(), type, payload);
    const ack = await send(type, payload);
    const inverse = ack?.ok && UNDOABLE.has(type) ? inverseOf(type, payload, before, ack.event) : null;
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
    const op = resolve(entry.inverse, state());
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

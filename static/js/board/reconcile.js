// Reconciliation: what the board shows is the server's word (`confirmed`: snapshot, sync and
// events, through the reducer, in revision order) with this client's unanswered operations
// folded over it (optimistic.js). Acks and events settle those operations: an accepted one
// leaves once its event is in the confirmed state, a refused one stops being shown at once.
// Pure: no DOM, no socket (tested with node --test).
import { predict, provisionalId } from './optimistic.js';
import { initialState, reduce } from './state.js';

/** A new operation, made by this client, waiting for the server. */
export function queue(pending, op) {
  return [...pending, { op_id: op.op_id, type: op.type, payload: op.payload }];
}

/**
 * The server answered an operation. Refused: it stops being predicted at once. Accepted: it
 * goes once its event is in the confirmed state (usually already, as the ack's event is
 * applied first); until then it is still shown, so nothing blinks out while a gap fills.
 */
export function acknowledged(pending, opId, ack, confirmedRev) {
  if (!ack || !ack.ok || (ack.rev ?? 0) <= confirmedRev) return pending.filter((op) => op.op_id !== opId);
  return pending.map((op) => (op.op_id === opId ? { ...op, appliedAt: ack.rev } : op));
}

/** The confirmed state changed (an event, or a snapshot when event is null): drop what it now holds. */
export function applied(pending, confirmed, event = null) {
  const opId = event ? event.op_id : undefined;
  const kept = pending.filter((op) => op.op_id !== opId && !(op.appliedAt !== undefined && op.appliedAt <= confirmed.rev));
  return kept.length === pending.length ? pending : kept;
}

/** For an item_added event of this client's own pending add: the provisional id it replaces. */
export function replacedId(pending, event) {
  if (!event || event.type !== 'item_added' || !event.item) return null;
  return pending.some((op) => op.op_id === event.op_id && op.type === 'add_item') ? provisionalId(event.op_id) : null;
}

/** The board's two states and how they meet; `shown()` is what the screen renders. */
export function createReconciler(now = () => Date.now()) {
  let confirmed = initialState(); // the server's word only
  let pending = []; // this client's operations the server has not answered yet, oldest first
  let shown = confirmed;
  const refold = () => { shown = predict(confirmed, pending, now()); };
  return {
    shown: () => shown,
    confirmed: () => confirmed,
    pending: () => pending,
    /** The whole board from the server (first load, or after a long absence). */
    snapshot(snapshot) {
      confirmed = reduce(confirmed, { type: 'snapshot', snapshot });
      pending = applied(pending, confirmed);
      refold();
    },
    /** One event, in revision order. Returns the provisional id its saved item takes over, if any. */
    event(event) {
      const replaced = replacedId(pending, event);
      confirmed = reduce(confirmed, event);
      pending = applied(pending, confirmed, event);
      refold();
      return replaced;
    },
    /** News outside the revisions (presence, who is editing): the reducer's, like the rest. */
    passing(message) {
      confirmed = reduce(confirmed, message);
      refold();
    },
    /** This client made an operation: shown at once when it has a prediction. */
    queued(op) {
      pending = queue(pending, op);
      refold();
    },
    /** The server answered it (after its event, if any, went through `event`). */
    answered(opId, ack) {
      pending = acknowledged(pending, opId, ack, confirmed.rev);
      refold();
    },
  };
}

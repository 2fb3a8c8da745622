// The undo and redo buttons, Ctrl+Z / Ctrl+Shift+Z, and the few seconds after a delete in
// which "Undo" is offered instead of asking "are you sure?" first (undo.js does the work).
const OFFER_MS = 8000;

/** What to say after an undo or redo: it is said, not only shown (the change may be far off). */
export function outcomeMessage(strings, outcome) {
  return {
    undone: strings.undone,
    redone: strings.redone,
    stale: strings.undo_stale,
    nothing: strings.undo_nothing,
  }[outcome] ?? strings.undo_refused;
}

/** The undo and redo buttons' state, the offer after a delete, and what is said. The keys
 *  and clicks are rows of intents.js (app.undo / app.redo). */
export function createUndoControls(history, { announce, strings }) {
  const buttons = () => document.querySelectorAll('.board-undo [data-action="undo"], .board-undo [data-action="redo"]');
  let toast = null;
  let timer = null;

  function withdraw() {
    clearTimeout(timer);
    toast?.remove();
    toast = null;
  }

  return {
    undo: () => { withdraw(); return history.undo(); },
    redo: () => { withdraw(); return history.redo(); },
    /** Enable the buttons as there is something to undo or redo. */
    refresh() {
      for (const button of buttons()) {
        button.disabled = button.dataset.action === 'undo' ? !history.canUndo() : !history.canRedo();
      }
    },
    /** A card was deleted: offer to bring it back for a few seconds, said to screen readers. */
    offerUndo(message) {
      withdraw();
      toast = document.createElement('div');
      toast.className = 'undo-toast';
      toast.setAttribute('role', 'status');
      const text = document.createElement('span');
      text.textContent = message;
      const button = document.createElement('button');
      button.type = 'button';
      button.dataset.action = 'undo';
      button.textContent = strings.undo;
      toast.append(text, button);
      document.body.append(toast);
      timer = setTimeout(withdraw, OFFER_MS);
      announce(`${message} ${strings.undo_hint}`);
    },
    tell(outcome) { announce(outcomeMessage(strings, outcome)); },
  };
}

/** "?" (outside a box) opens or closes the list of keyboard keys. */
export function toggleKeysHelp() {
  const panel = document.getElementById('keys-help');
  if (!panel) return;
  panel.open = !panel.open;
  panel.querySelector('summary').focus();
}

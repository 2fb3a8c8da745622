// The waiting room, as staff see it: who waits to join, by name, with "Let in" and
// "Don't let in". The list comes from the server's `waiting` messages (staff only).
import { cloneTemplate, format, setText } from '../lib/dom.js';

/** Let a waiting guest in, or not (a request, not a board op: the guest is not on the board yet). */
export async function answerGuest(app, button) {
  const row = button.closest('[data-participant-id]');
  const admit = button.dataset.action === 'admit';
  for (const control of row.querySelectorAll('button')) control.disabled = true;
  const ack = await app.request('admit_guest', { participant_id: Number(row.dataset.participantId), admit });
  if (!ack.ok && ack.error.code !== 'not_waiting') {
    for (const control of row.querySelectorAll('button')) control.disabled = false;
    app.alert(app.config.strings.waiting_failed);
  }
}

/** The renderer of the waiting list (staff only: the server sends `waiting` to them). */
export function waitingList(app, announce) {
  const box = document.getElementById('waiting');
  const list = document.getElementById('waiting-list');
  if (!box || !list) return () => {};
  let known = new Set();

  return function render(message) {
    const fresh = new Set();
    list.replaceChildren();
    for (const guest of message.guests) {
      const row = cloneTemplate('tpl-waiting-guest');
      row.dataset.participantId = String(guest.id);
      setText(row.querySelector('.waiting-name'), guest.name);
      for (const button of row.querySelectorAll('button')) {
        button.setAttribute('aria-label', `${button.textContent}: ${guest.name}`);
      }
      list.append(row);
      fresh.add(guest.id);
      if (!known.has(guest.id)) announce(format(app.config.strings.waiting_announce, { name: guest.name }));
    }
    known = fresh;
    box.hidden = message.guests.length === 0;
  };
}

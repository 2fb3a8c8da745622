// Before the meeting: the facilitator brings a young person's or a parent's words, written
// before the meeting, onto the board (op bring_pre_meeting_input). The words are on the page
// for staff only (rendered by the server); once on the board they arrive as an item.
import { ackMessage } from './writing.js';

/** Send one waiting entry to the chosen section; on success it leaves the waiting list. */
export async function bringPreMeetingInput(app, form) {
  const entry = form.closest('[data-input-id]');
  const button = form.querySelector('button[type="submit"]');
  const error = form.querySelector('.form-error');
  button.disabled = true;
  const ack = await app.send('bring_pre_meeting_input', { input_id: Number(entry.dataset.inputId), section: form.elements.section.value });
  button.disabled = false;
  error.hidden = ack.ok;
  if (!ack.ok) { error.textContent = ackMessage(app.config, ack); return; }
  const list = entry.parentElement;
  entry.remove();
  app.announce?.(app.config.strings.pre_meeting_brought);
  if (!list.children.length) list.replaceWith(Object.assign(document.createElement('p'), { className: 'hint', textContent: app.config.strings.pre_meeting_none }));
}

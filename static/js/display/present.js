// The facilitator's controls for the room's screen, on the board: each change is one
// `present` operation, so every open display follows it live.
import { format, setText } from '../lib/dom.js';
import { presentation } from './choose.js';

function send(root, app, payload) {
  app.send('present', payload).then((ack) => {
    const error = root.querySelector('[data-present-error]');
    error.hidden = ack.ok;
    setText(error, ack.ok ? '' : format(app.config.strings.error_generic, { message: ack.error?.message ?? '' }));
  });
}

export function bindPresent(root, app) {
  if (!root) return;
  root.addEventListener('click', (event) => {
    const show = event.target.closest('[data-present-show]');
    if (show) send(root, app, { show: show.dataset.presentShow });
    const turn = event.target.closest('[data-present-page]');
    if (turn) send(root, app, { page: presentation(app.state()).page + Number(turn.dataset.presentPage) });
  });
  root.addEventListener('change', (event) => {
    const { target } = event;
    if (target.matches('[data-present-target]') && target.value) send(root, app, { show: target.dataset.presentTarget, target: target.value });
    if (target.matches('[data-present-auto]')) send(root, app, { auto: target.checked });
    if (target.matches('[data-present-theme]')) send(root, app, { theme: target.value });
  });
}

/** Show what the screen presents now: the pressed button or the chosen section/column. */
export function renderPresent(root, state) {
  if (!root) return;
  const shown = presentation(state);
  for (const button of root.querySelectorAll('[data-present-show]')) button.setAttribute('aria-pressed', String(button.dataset.presentShow === shown.show));
  for (const select of root.querySelectorAll('[data-present-target]')) {
    const value = select.dataset.presentTarget === shown.show ? shown.target : '';
    if (document.activeElement !== select) select.value = value ?? '';
  }
  // a control the facilitator is using keeps its state until the server's answer comes back
  const auto = root.querySelector('[data-present-auto]');
  if (document.activeElement !== auto) auto.checked = shown.auto;
  const radios = [...root.querySelectorAll('[data-present-theme]')];
  if (!radios.includes(document.activeElement)) for (const radio of radios) radio.checked = radio.value === shown.theme;
  const chosen = root.querySelector('[aria-pressed="true"]')?.textContent
    ?? root.querySelector(`[data-present-target="${shown.show}"] option:checked`)?.textContent ?? '';
  setText(root.querySelector('[data-present-now]'), chosen ? `· ${chosen}` : '');
}

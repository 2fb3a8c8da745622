// Writing on the board: the add forms and the in-place edit form.
// What the user typed stays in the input until the server has acknowledged it.
import { cloneTemplate, format } from '../lib/dom.js';

export function textProblem(config, text) {
  const trimmed = text.trim();
  if (!trimmed) return config.strings.empty;
  if (trimmed.length > config.text_max) {
    return format(config.strings.too_long, { count: trimmed.length, max: config.text_max });
  }
  return null;
}

export function showError(form, message) {
  const error = form.querySelector('.form-error');
  error.hidden = !message;
  error.textContent = message || '';
  form.querySelector('textarea').setAttribute('aria-invalid', message ? 'true' : 'false');
}

export function updateCounter(form, config) {
  const textarea = form.querySelector('textarea');
  const length = textarea.value.trim().length;
  const counter = form.querySelector('.counter');
  counter.textContent = length > config.text_max * 0.8 ? `${length} / ${config.text_max}` : '';
  counter.classList.toggle('over', length > config.text_max);
  if (length <= config.text_max && form.querySelector('.form-error').textContent.startsWith(config.strings.too_long.slice(0, 8))) {
    showError(form, null);
  }
  textarea.style.height = 'auto';
  textarea.style.height = `${Math.min(textarea.scrollHeight, 240)}px`;
}

export function ackMessage(config, ack) {
  return format(config.strings.error_generic, { message: ack.error.message });
}

export function openEditor(card, item, config) {
  const open = card.querySelector('.edit-form');
  if (open) { open.querySelector('textarea').focus(); return open; } // one editor per card
  const form = cloneTemplate('tpl-edit');
  const textarea = form.querySelector('textarea');
  textarea.value = item.text;
  const select = form.querySelector('select[name="view"]');
  for (const [key, label] of Object.entries(config.views)) {
    const option = document.createElement('option');
    option.value = key;
    option.textContent = label;
    select.append(option);
  }
  select.value = item.view;
  card.classList.add('is-editing');
  card.dataset.version = String(item.version);
  card.append(form);
  textarea.focus();
  textarea.setSelectionRange(textarea.value.length, textarea.value.length);
  updateCounter(form, config);
  return form;
}

export function closeEditor(card) {
  card.querySelector('.edit-form')?.remove();
  card.classList.remove('is-editing', 'is-stale', 'is-gone');
}

export function showConflict(form, theirs) {
  const panel = form.querySelector('.conflict');
  panel.hidden = false;
  panel.querySelector('.conflict-theirs').textContent = theirs.text;
}

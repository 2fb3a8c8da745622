// The facilitator's and participants' meeting actions, turned into operations.
import { format } from '../lib/dom.js';
import { ackMessage } from './editing.js';
import { agendaRow, followStep, you } from './meeting.js';

function readAgenda(form) {
  return [...form.querySelectorAll('.agenda-row')].map((row) => {
    const before = JSON.parse(row.dataset.step || '{}');
    return {
      ...before,
      title: row.querySelector('[name="title"]').value,
      minutes: Number(row.querySelector('[name="minutes"]').value),
    };
  });
}

export function bindMeeting(app) {
  const { config } = app;
  const send = async (type, payload) => {
    const ack = await app.send(type, payload);
    if (!ack.ok) app.alert(ackMessage(config, ack));
    return ack;
  };
  const step = () => app.state().meeting.step_index ?? -1;

  // The step shown is already the predicted one (optimistic.js), so a second click before
  // the first is answered names the step after it, as the facilitator sees it.
  const goTo = (index) => send('go_to_step', { index });

  const actions = {
    'step-next': () => goTo(step() + 1),
    'step-prev': () => goTo(Math.max(0, step() - 1)),
    'add-time': () => send('add_time', { minutes: 2 }),
    follow: () => followStep(app.state(), config),
    hand: () => send('set_signal', { signal: 'hand', on: !you(app.state())?.hand_raised }),
    ready: () => send('set_signal', { signal: 'ready', on: !you(app.state())?.ready }),
    'clear-signals': () => send('clear_signals', {}),
    'lock-section': (button) => send('lock_section', { section: button.closest('[data-section]').dataset.section, locked: button.getAttribute('aria-pressed') !== 'true' }),
    'collect-privately': (button) => send('collect_privately', { section: button.closest('[data-section]').dataset.section, on: button.getAttribute('aria-pressed') !== 'true' }),
    spotlight: (button) => {
      const id = Number(button.closest('li.item').dataset.itemId);
      return send('spotlight', { item_id: app.state().meeting.spotlight_item_id === id ? null : id });
    },
    'scale-danger': (button) => send('open_scale_round', { danger_item_id: Number(button.closest('li.item').dataset.itemId), anonymous: false }),
    unmerge: (button) => send('unmerge_item', { item_id: Number(button.dataset.itemId) }),
    'agenda-add': () => {
      const form = document.querySelector('[data-agenda-form]');
      form.dataset.dirty = '1';
      const row = agendaRow();
      form.querySelector('[data-agenda-rows]').append(row);
      row.querySelector('input').focus();
    },
    'agenda-remove': (button) => {
      const form = button.closest('form');
      form.dataset.dirty = '1';
      button.closest('.agenda-row').remove();
    },
    'close-meeting': () => { if (window.confirm(config.strings.confirm_close)) send('close_meeting', {}); },
    'make-facilitator': (button) => {
      if (window.confirm(format(config.strings.confirm_hand_over, { name: button.dataset.name }))) {
        send('hand_over', { participant_id: Number(button.dataset.participantId) });
      }
    },
  };

  document.addEventListener('click', (event) => {
    const button = event.target.closest('button[data-action]');
    if (button && actions[button.dataset.action]) actions[button.dataset.action](button);
  });

  document.addEventListener('change', (event) => {
    const target = event.target;
    if (target.matches('[data-write-policy]')) send('set_write_policy', { policy: target.value });
    if (target.matches('[data-show-initials]')) send('set_show_initials', { on: target.checked });
    if (target.matches('[data-action="set-role"]')) send('set_role', { participant_id: Number(target.dataset.participantId), role: target.value });
    if (target.matches('[data-action="merge-into"]') && target.value) {
      const itemId = Number(target.closest('li.item').dataset.itemId);
      send('merge_items', { item_id: itemId, into_id: Number(target.value) });
    }
  });

  // Escape closes the open panel (facilitator controls, keyboard keys, a section's help)
  // and puts focus back on what opened it; an editor's Escape is the editor's.
  document.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape' || !(event.target instanceof Element)) return;
    const panel = event.target.closest('details[open]');
    if (!panel || event.target.closest('.edit-form')) return;
    panel.open = false;
    panel.querySelector('summary')?.focus();
  });

  document.addEventListener('input', (event) => {
    const form = event.target.closest('[data-agenda-form], [data-question-form]');
    if (form) (form.matches('[data-question-form]') ? event.target : form).dataset.dirty = '1';
  });

  document.addEventListener('submit', async (event) => {
    const form = event.target;
    if (form.matches('[data-agenda-form]')) {
      event.preventDefault();
      const ack = await app.send('set_agenda', { steps: readAgenda(form) });
      const error = form.querySelector('.form-error');
      error.hidden = ack.ok;
      if (!ack.ok) { error.textContent = ackMessage(config, ack); return; }
      delete form.dataset.dirty;
      app.render();
    }
    if (form.matches('[data-question-form]')) {
      event.preventDefault();
      const input = form.querySelector('textarea');
      const ack = await send('set_question', { text: input.value });
      if (ack.ok) delete input.dataset.dirty;
    }
  });
}

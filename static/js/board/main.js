// The live board: wires the socket, the reducer, the view and the intents.
import { announcer, format, readConfig } from '../lib/dom.js';
import { openMeeting } from '../lib/socket.js';
import { bindBoard, bindPeople } from './intents.js';
import { renderScale } from './scale.js';
import { initialState, reduce } from './state.js';
import { markWithdrawnCode, renderBoard, renderPeople, sectionTitles, showStatus } from './view.js';

const config = readConfig();
const root = document.getElementById('map');
const people = document.getElementById('people');
const scale = document.getElementById('scale');
const statusElement = document.getElementById('status');
const announce = announcer(document.getElementById('announcer'));
const titles = sectionTitles(config);
let state = initialState();
let closed = false;

function render() {
  renderBoard(root, state, config);
  renderPeople(people, state, config);
  renderScale(scale, state, config, app);
}

function describe(event) {
  if (event.actor && event.actor.id === state.you) return;
  const section = titles.get(event.item?.section || event.section) || '';
  if (event.type === 'item_added') announce(format(config.strings.announce_added, { name: event.actor.name, section, text: event.item.text }));
  if (event.type === 'item_moved') announce(format(config.strings.announce_moved, { section }));
  if (event.type === 'item_deleted') announce(format(config.strings.announce_deleted, { section }));
  if (event.type === 'scale_round_opened' || event.type === 'scale_round_reopened') announce(config.strings.announce_scale_opened);
  if (event.type === 'scale_round_revealed') announce(config.strings.announce_scale_revealed);
}

const connection = openMeeting({
  meetingId: config.meeting_id,
  handlers: {
    snapshot(snapshot) { state = reduce(state, { type: 'snapshot', snapshot }); render(); },
    event(event) { state = reduce(state, event); describe(event); markWithdrawnCode(event, config); render(); },
    presence(message) { state = reduce(state, { type: 'presence', participants: message.participants }); renderPeople(people, state, config); renderScale(scale, state, config, app); },
    status(name, waiting) { if (!closed) showStatus(statusElement, config, name, waiting); },
    closed(reason) {
      closed = true;
      document.body.classList.add('is-closed');
      statusElement.className = 'status status-closed';
      statusElement.textContent = config.strings[`closed_${reason}`] || config.strings.closed_signed_out;
      for (const control of root.querySelectorAll('textarea, button, select')) control.disabled = true;
      for (const control of scale?.querySelectorAll('input, button') ?? []) control.disabled = true;
    },
  },
});

const app = {
  config,
  state: () => state,
  send: (type, payload) => connection.send(type, payload),
  render,
  alert: (message) => { statusElement.className = 'status status-error'; statusElement.textContent = message; announce(message); },
};

bindBoard(root, app);
bindPeople(people, app);

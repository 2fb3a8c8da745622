// The projector: a read-only live board whose text scales to fit the screen.
import { readConfig, setText } from '../lib/dom.js';
import { openMeeting } from '../lib/socket.js';
import { initialState, reduce } from '../board/state.js';
import { renderScale } from '../board/scale.js';
import { markWithdrawnCode, renderBoard, showStatus } from '../board/view.js';
import { renderMeeting, renderTimer } from '../board/meeting.js';
import { renderStatements } from '../board/statements.js';
import { renderInvolved } from '../board/involved.js';
import { renderItemPeople } from '../board/item_people.js';
import { renderWorksheet } from '../board/worksheet.js';
import { fitToViewport } from './fit.js';

const config = readConfig();
const root = document.getElementById('map');
const fit = document.getElementById('fit');
const scale = document.getElementById('scale');
const statusElement = document.getElementById('status');
let state = initialState();

function renderSpotlight() {
  const box = document.querySelector('[data-spotlight]');
  const item = state.items.get(state.meeting.spotlight_item_id);
  box.hidden = !item;
  document.body.classList.toggle('has-spotlight', Boolean(item));
  if (!item) return;
  setText(box.querySelector('[data-spotlight-text]'), item.text);
  const section = config.framework.sections.find((s) => s.key === item.section);
  setText(box.querySelector('[data-spotlight-meta]'), section ? section.title : '');
}

function render() {
  renderBoard(root, state, config);
  renderMeeting(state, config);
  renderStatements(root, state, config);
  renderItemPeople(root, state, config);
  renderInvolved(document.getElementById('involved'), state, config);
  renderWorksheet(state, config);
  renderSpotlight();
  renderScale(scale, state, config);
  fitToViewport(fit);
}

setInterval(() => renderTimer(document.getElementById('meeting-bar'), state), 1000);

openMeeting({
  meetingId: config.meeting_id,
  display: true,
  handlers: {
    snapshot(snapshot) { state = reduce(state, { type: 'snapshot', snapshot }); render(); },
    event(event) { state = reduce(state, event); markWithdrawnCode(event, config); render(); },
    presence() {},
    // the room's language changed (from another display): show the page again in it
    displayLanguage({ language }) {
      if (language !== document.documentElement.lang) window.location.reload();
    },
    status(name, waiting) { showStatus(statusElement, config, name, waiting); },
    closed(reason) { statusElement.textContent = config.strings[`closed_${reason}`] || config.strings.closed_signed_out; },
  },
});

window.addEventListener('resize', () => fitToViewport(fit));

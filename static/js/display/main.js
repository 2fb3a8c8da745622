// The projector: a read-only live board whose text scales to fit the screen.
import { readConfig } from '../lib/dom.js';
import { openMeeting } from '../lib/socket.js';
import { initialState, reduce } from '../board/state.js';
import { renderScale } from '../board/scale.js';
import { markWithdrawnCode, renderBoard, showStatus } from '../board/view.js';
import { fitToViewport } from './fit.js';

const config = readConfig();
const root = document.getElementById('map');
const fit = document.getElementById('fit');
const scale = document.getElementById('scale');
const statusElement = document.getElementById('status');
let state = initialState();

function render() {
  renderBoard(root, state, config);
  renderScale(scale, state, config, null);
  fitToViewport(fit);
}

openMeeting({
  meetingId: config.meeting_id,
  display: true,
  handlers: {
    snapshot(snapshot) { state = reduce(state, { type: 'snapshot', snapshot }); render(); },
    event(event) { state = reduce(state, event); markWithdrawnCode(event, config); render(); },
    presence() {},
    status(name, waiting) { showStatus(statusElement, config, name, waiting); },
    closed(reason) { statusElement.textContent = config.strings[`closed_${reason}`] || config.strings.closed_signed_out; },
  },
});

window.addEventListener('resize', () => fitToViewport(fit));

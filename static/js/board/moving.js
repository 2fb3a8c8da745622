// Moving cards: by buttons (up, down), the "move to" list, Alt+arrows and dragging. Each is
// one move_item op; the card moves at once, keyboard focus stays on it, and the user hears
// where it went. Positions are the server's: the client sends only after_id.
import Sortable from '/static/vendor/sortable.esm.js';
import { format } from '../lib/dom.js';
import { ackMessage } from './writing.js';
import { savedAfterId } from './optimistic.js';
import { sectionItems } from './state.js';

const root = () => document.getElementById('map');

async function move(app, itemId, section, afterId) {
  const ack = await app.send('move_item', { item_id: itemId, section, after_id: afterId });
  if (!ack.ok) app.alert(ackMessage(app.config, ack));
}

/** Moving a card drops keyboard focus (or replaces the card): put focus back on its control. */
function refocus(itemId, actions) {
  const card = root().querySelector(`li.item[data-item-id="${itemId}"]`);
  const active = document.activeElement;
  if (!card || (active && active !== document.body && !card.contains(active))) return;
  card.focus();
  const target = actions.map((action) => card.querySelector(`[data-action="${action}"]`))
    .find((control) => control && !control.disabled);
  if (target) target.focus();
}

/** Say where a card the user moved now is ("Grey areas, 2 of 3"): their own change,
 *  said once here (others' changes are told by render.js). */
function tellPlace(app, itemId) {
  const item = app.state().items.get(itemId);
  if (!item) return;
  const items = sectionItems(app.state(), item.section);
  const title = app.config.framework.sections.find((s) => s.key === item.section)?.title ?? '';
  app.announce(format(app.config.strings.moved_place, { section: title, num: items.findIndex((i) => i.id === itemId) + 1, count: items.length }));
}

/** Move, keep focus on the card (or one of its controls), and say where it went. */
async function moveKeepingFocus(app, itemId, section, index, controls) {
  const sent = move(app, itemId, section, savedAfterId(app.state(), section, itemId, index));
  refocus(itemId, controls); // the card has moved already
  await sent;
  refocus(itemId, controls); // and again, should the server have placed it elsewhere
  tellPlace(app, itemId);
}

/** Up or down one place in its section (buttons; Alt+↑ / Alt+↓ with focusCard). */
export function moveBy(app, card, delta, focusCard = false) {
  const item = app.state().items.get(Number(card.dataset.itemId));
  const items = sectionItems(app.state(), item.section);
  const index = items.findIndex((other) => other.id === item.id) + delta;
  if (index < 0 || index >= items.length) return;
  moveKeepingFocus(app, item.id, item.section, index, focusCard ? [] : delta < 0 ? ['up', 'down'] : ['down', 'up']);
}

/** Alt+← / Alt+→: to the end of the section before / after it on the map. */
export function moveToNeighbour(app, card, delta) {
  const itemId = Number(card.dataset.itemId);
  const item = app.state().items.get(itemId);
  const keys = [...root().querySelectorAll('ul.items')].map((list) => list.dataset.section);
  const section = keys[keys.indexOf(item.section) + delta];
  if (section) moveKeepingFocus(app, itemId, section, Infinity, []);
}

/** The card's "move to" list: to the end of the chosen section. */
export function moveTo(app, select) {
  const itemId = Number(select.closest('.item').dataset.itemId);
  moveKeepingFocus(app, itemId, select.value, Infinity, ['move-to']);
}

/** Dragging (mouse and touch; the keyboard has the buttons and Alt+arrows). */
export function enableDragging(app) {
  for (const list of root().querySelectorAll('ul.items')) {
    Sortable.create(list, {
      group: 'board', animation: 120, delay: 150, delayOnTouchOnly: true,
      filter: 'button, select, textarea, input, label, .is-editing, .is-provisional', preventOnFilter: false,
      onEnd: (event) => {
        const itemId = Number(event.item.dataset.itemId);
        const section = event.to.dataset.section;
        if (event.from === event.to && event.oldIndex === event.newIndex) return;
        move(app, itemId, section, savedAfterId(app.state(), section, itemId, event.newIndex));
      },
    });
  }
}

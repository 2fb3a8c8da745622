// Roving focus: a group of controls is one Tab stop, and arrow keys move inside it (WAI-ARIA
// APG). A board of 60 cards is then a few Tab stops, not hundreds: each card list is one
// stop, the sections' "+ Add" buttons are one, a toolbar is one. Any element with
// data-roving="<selector>" is a group over its descendants matching the selector; the one
// holding tabindex 0 is the last one focused. Inside a card (data-roving-inner) the arrows
// also reach the card's own controls, which are never Tab stops.

const KEYS = {
  vertical: { ArrowUp: -1, ArrowDown: 1 },
  horizontal: { ArrowLeft: -1, ArrowRight: 1 },
  both: { ArrowUp: -1, ArrowDown: 1, ArrowLeft: -1, ArrowRight: 1 },
};
const CONTROLS = 'button, select, a[href], input, textarea, summary';

/** The index focus moves to from `index` among `count` members on `key`, or null. */
export function nextIndex(index, key, count, orientation = 'vertical') {
  if (count === 0) return null;
  if (key === 'Home') return 0;
  if (key === 'End') return count - 1;
  const step = KEYS[orientation]?.[key];
  if (!step) return null;
  return Math.min(count - 1, Math.max(0, index + step));
}

/** The member that keeps tabindex 0: the one focus was last in, else the first. */
export function currentIndex(members, lastFocused) {
  const found = members.indexOf(lastFocused);
  return found >= 0 ? found : 0;
}

function visible(element) {
  return !element.hidden && !element.closest('[hidden]') && element.getClientRects().length > 0;
}

function members(group) {
  return [...group.querySelectorAll(group.dataset.roving)].filter((member) => member.closest('[data-roving]') === group && visible(member));
}

function innerControls(card) {
  // a form opened in a card (its editor, who and by when, the people it names) keeps its
  // own Tab order
  return [...card.querySelectorAll(CONTROLS)].filter((control) => control.closest('[data-roving-inner]') === card && !control.closest('form, fieldset') && visible(control) && !control.disabled);
}

/** Give exactly one member of the group tabindex 0, and take its cards' controls out of the
 *  Tab order. */
export function settle(group) {
  const list = members(group);
  const keep = list[currentIndex(list, group.rovingCurrent)];
  // hidden ones too: one shown again later must not come back as a second Tab stop
  const all = [...group.querySelectorAll(group.dataset.roving)].filter((member) => member.closest('[data-roving]') === group);
  for (const member of all) {
    member.tabIndex = member === keep ? 0 : -1;
    if (member.hasAttribute('data-roving-inner')) for (const control of innerControls(member)) control.tabIndex = -1;
  }
}

function onKey(event) {
  if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey || event.defaultPrevented) return;
  if (event.target.matches('textarea, input:not([type="checkbox"]):not([type="radio"]), [contenteditable]')) return;
  // a list inside a card keeps ↑ ↓ for its options; ← → go on along the card's buttons
  const sideways = event.key === 'ArrowLeft' || event.key === 'ArrowRight';
  if (event.target.matches('select') && !(sideways && event.target.closest('[data-roving-inner]'))) return;
  const group = event.target.closest('[data-roving]');
  if (!group) return;
  const list = members(group);
  const card = event.target.closest('[data-roving-inner]');
  const member = list.find((m) => m === event.target || m.contains(event.target));
  if (!member) return;
  const orientation = group.dataset.rovingOrientation || 'vertical';
  if (card && orientation === 'vertical' && (event.key === 'ArrowLeft' || event.key === 'ArrowRight')) {
    const ring = [card, ...innerControls(card)];
    const index = nextIndex(ring.indexOf(event.target), event.key, ring.length, 'horizontal');
    if (index !== null) { event.preventDefault(); ring[index].focus(); }
    return;
  }
  const index = nextIndex(list.indexOf(member), event.key, list.length, orientation);
  if (index === null) return;
  event.preventDefault();
  group.rovingCurrent = list[index];
  settle(group);
  list[index].focus();
}

function onFocus(event) {
  const group = event.target.closest('[data-roving]');
  if (!group) return;
  const member = members(group).find((m) => m === event.target || m.contains(event.target));
  if (member && group.rovingCurrent !== member) { group.rovingCurrent = member; settle(group); }
}

/** Make every data-roving group under root one Tab stop with arrow keys inside, and keep it
 *  so as cards come, go and move (the board re-renders them). */
export function bindRoving(root) {
  const settleAll = () => { for (const group of root.querySelectorAll('[data-roving]')) settle(group); };
  root.addEventListener('keydown', onKey);
  root.addEventListener('focusin', onFocus);
  let queued = false;
  new MutationObserver(() => {
    if (queued) return;
    queued = true;
    queueMicrotask(() => { queued = false; settleAll(); });
  }).observe(root, { childList: true, subtree: true, attributes: true, attributeFilter: ['hidden'] });
  settleAll();
  return settleAll;
}

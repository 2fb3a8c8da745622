// The waiting room: ask the server every few seconds whether the facilitator has let this
// guest in, and go on to the board by itself when they have. Nothing of the meeting comes
// here: only where this guest stands ({state, next}).
const POLL_MS = 2500;
const card = document.querySelector('[data-wait-status]');

async function poll() {
  let answer = null;
  try {
    const response = await fetch(card.dataset.waitStatus, { headers: { Accept: 'application/json' }, cache: 'no-store' });
    if (response.ok) answer = await response.json();
  } catch {
    answer = null; // offline for a moment: ask again
  }
  if (answer?.state === 'admitted' || answer?.state === 'ended') { window.location.replace(answer.next); return; }
  if (answer?.state === 'refused') {
    window.location.reload(); // the page says so, kindly
    return;
  }
  setTimeout(poll, POLL_MS);
}

if (card) setTimeout(poll, POLL_MS);

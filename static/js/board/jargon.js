// The plain-language rule (family mode): which agency words a text uses, each with the
// plainer words the agency suggests (the list: facilitator/domain/jargon.py and the admin's
// own, sent with the page). A suggestion shown while typing, never a block; and, on every
// reader's board, each such word in a card marked with its plain-words meaning on tap
// (markJargon, toggleMeaning). The one rule: jargonIn. Pure but for the DOM helpers, which
// take the document (node --test gives them a small stand-in).

const ESCAPE = /[.*+?^${}()|[\]\\]/g;
const WORD = '[\\p{L}\\p{N}_]'; // what counts as part of a word, in any script

/** Short all-capital abbreviations match only as written ("DV", not the "dv" of "dvd"). */
function asWritten(term) {
  return term === term.toUpperCase() && term !== term.toLowerCase();
}

/**
 * The agency words in a text as [word as written, plainer words], in the order they appear,
 * each once; where two overlap the longer wins ("domestic violence", not "violence").
 */
export function jargonIn(words, text) {
  return hitsIn(words, text).map((hit) => [hit.word, hit.plain]);
}

function hitsIn(words, text) {
  const found = [];
  for (const [term, plain] of Object.entries(words || {})) {
    const pattern = new RegExp(`(?<!${WORD})${term.replace(ESCAPE, '\\$&')}(?!${WORD})`, asWritten(term) ? 'u' : 'iu');
    const match = pattern.exec(text);
    if (match) found.push({ start: match.index, word: match[0], plain });
  }
  found.sort((a, b) => a.start - b.start || b.word.length - a.word.length);
  const kept = [];
  let end = 0;
  for (const hit of found) {
    if (hit.start < end) continue;
    kept.push(hit);
    end = hit.start + hit.word.length;
  }
  return kept;
}

/** The text cut at its agency words: [{ text }, { text: word as written, plain }, ...];
 *  joined, the texts give the text back unchanged. */
export function jargonParts(words, text) {
  const parts = [];
  let at = 0;
  for (const hit of hitsIn(words, text)) {
    if (hit.start > at) parts.push({ text: text.slice(at, hit.start) });
    parts.push({ text: hit.word, plain: hit.plain });
    at = hit.start + hit.word.length;
  }
  if (at < text.length || !parts.length) parts.push({ text: text.slice(at) });
  return parts;
}

/**
 * Put a card's text into `element` with each agency word as a button that tells its plain
 * words when pressed (tap, click, Enter or Space: never hover only). Text nodes and
 * buttons only, never HTML; the element's textContent stays the card's text. Rebuilt only
 * when the text or the words change.
 */
export function markJargon(doc, element, text, words) {
  const key = JSON.stringify([text, words || {}]);
  if (element.dataset.jargonOf === key) return;
  const nodes = jargonParts(words, text).map((part) => {
    if (part.plain === undefined) return doc.createTextNode(part.text);
    const button = doc.createElement('button');
    button.type = 'button';
    button.className = 'jargon-term';
    button.dataset.action = 'jargon';
    button.dataset.plain = part.plain;
    button.setAttribute('aria-expanded', 'false');
    button.textContent = part.text;
    return button;
  });
  element.replaceChildren(...nodes);
  element.dataset.jargonOf = key;
  element.parentNode?.querySelector(':scope > .jargon-meaning')?.remove();
}

/** Plain text again (the card left family words behind, or the board shows none). */
export function unmarkJargon(element, text) {
  if (element.dataset.jargonOf === undefined && element.textContent === text) return;
  delete element.dataset.jargonOf;
  element.textContent = text;
  element.parentNode?.querySelector(':scope > .jargon-meaning')?.remove();
}

/**
 * A term's button pressed: its plain words shown under the card's text (in a status line a
 * screen reader reads), or put away when pressed again. `hint`: "Plainer for “%(term)s”:
 * “%(plain)s”." in the reader's language.
 */
export function toggleMeaning(doc, button, hint) {
  const text = button.parentNode;
  const card = text.parentNode;
  let meaning = card.querySelector(':scope > .jargon-meaning');
  const opening = button.getAttribute('aria-expanded') !== 'true';
  for (const other of text.querySelectorAll('.jargon-term')) other.setAttribute('aria-expanded', 'false');
  if (!opening) { meaning?.remove(); return; }
  if (!meaning) {
    meaning = doc.createElement('p');
    meaning.className = 'jargon-meaning';
    meaning.setAttribute('role', 'status');
    text.after(meaning);
  }
  meaning.textContent = hint.replace('%(term)s', button.textContent).replace('%(plain)s', button.dataset.plain);
  button.setAttribute('aria-expanded', 'true');
}

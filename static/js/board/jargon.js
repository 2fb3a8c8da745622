// The plain-language rule (family mode): which agency words a text uses, each with the
// plainer words the agency suggests (the list: facilitator/domain/jargon.py and the admin's
// own, sent with the page). A suggestion shown while typing, never a block. Pure (node --test).

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
    kept.push([hit.word, hit.plain]);
    end = hit.start + hit.word.length;
  }
  return kept;
}

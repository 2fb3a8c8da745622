// The danger / goal worksheet: one row per danger statement, with the safety goal paired
// with it and that pair's scale (each person's number once revealed). Text via textContent.
import { format } from '../lib/dom.js';
import { sectionItems } from './state.js';

/** The rows: each danger statement with its goal and its latest scale round. */
export function worksheetRows(state) {
  const shown = (item) => !item.merged_into_id && !(item.hidden && !item.text);
  const goals = sectionItems(state, 'goals').filter(shown);
  const rounds = [...state.rounds.values()].sort((a, b) => a.id - b.id);
  return sectionItems(state, 'danger').filter(shown).map((danger) => ({
    danger,
    goal: goals.find((goal) => goal.link_id === danger.id) ?? null,
    round: rounds.filter((round) => round.danger_item_id === danger.id).at(-1) ?? null,
  }));
}

function cell(text, className = '') {
  const td = document.createElement('td');
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

function scaleCell(round, config) {
  if (!round) return cell(config.strings.worksheet_not_scaled, 'muted');
  if (round.status !== 'revealed') return cell(format(config.strings.worksheet_rated, { num: round.rated.length }), 'muted');
  const td = cell('');
  for (const rating of round.ratings ?? []) {
    const span = document.createElement('span');
    span.className = 'worksheet-rating';
    span.textContent = rating.name ? `${rating.name}: ${rating.value}` : String(rating.value);
    td.append(span);
  }
  return td;
}

export function renderWorksheet(state, config) {
  const body = document.getElementById('worksheet-rows');
  if (!body) return;
  const rows = worksheetRows(state);
  body.replaceChildren(...rows.map(({ danger, goal, round }) => {
    const row = document.createElement('tr');
    row.append(cell(danger.text), goal ? cell(goal.text) : cell(config.strings.worksheet_no_goal, 'muted'), scaleCell(round, config));
    return row;
  }));
  document.getElementById('worksheet-empty').hidden = rows.length > 0;
}

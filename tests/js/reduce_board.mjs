// Feeds server messages (JSON on stdin) through the browser's own board reducer
// (static/js/board/state.js) and prints the resulting states, for tests/realtime/test_resync.py.
// Input: {"boards": {"name": [message, ...]}}, each list starting with a {type: "snapshot"}.
// Output: {"name": state}, with Maps as id-sorted lists. The clock offset (the moment the
// snapshot was taken), who is online and who is editing are not board state: left out.
// A round's `mine` is null in a snapshot and absent before an event brings one; the views
// read both as "not rated by me" (scale.js), so both are written as null.
import { initialState, reduce } from '../../static/js/board/state.js';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const { boards } = JSON.parse(Buffer.concat(chunks).toString('utf8'));

const byId = (map) => [...map.values()].sort((a, b) => a.id - b.id);

const out = {};
for (const [name, messages] of Object.entries(boards)) {
  const state = messages.reduce(reduce, initialState());
  out[name] = {
    rev: state.rev,
    you: state.you,
    meeting: state.meeting,
    items: byId(state.items),
    rounds: byId(state.rounds).map((round) => ({ ...round, mine: round.mine ?? null })),
    participants: state.participants
      .map(({ online, ...person }) => person)
      .sort((a, b) => a.id - b.id),
  };
}
process.stdout.write(JSON.stringify(out));

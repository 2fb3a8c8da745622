// The family and network diagram: households as boxes with the child's home in the middle,
// the network outside the home above, professionals below. Built as SVG from the state;
// user text goes in through textContent only. layoutNetwork is pure (node --test).

const NODE = { width: 200, height: 56 };
const GAP = 16;
const PAD = 12;
const HEAD = 30; // a box's title line
const PER_ROW = 4; // boxes in a row of households, people in a row of a band
const ROLE_ORDER = ['child', 'parent', 'family', 'network', 'professional'];
const LABEL_MAX = 22; // characters that fit a node line at the diagram's font size

function clip(text, max = LABEL_MAX) {
  const chars = [...(text || '')];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : chars.join('');
}

function byRole(a, b) {
  return ROLE_ORDER.indexOf(a.role) - ROLE_ORDER.indexOf(b.role) || a.id - b.id;
}

/** Households (people who live together), the child's first; then who lives elsewhere. */
export function groupPeople(people) {
  const homes = new Map();
  const network = [];
  const professionals = [];
  for (const person of people) {
    const key = (person.household || '').trim().toLocaleLowerCase();
    if (key) {
      if (!homes.has(key)) homes.set(key, { label: person.household.trim(), people: [] });
      homes.get(key).people.push(person);
    } else if (person.role === 'professional') professionals.push(person);
    else if (person.role === 'child') {
      if (!homes.has('')) homes.set('', { label: '', people: [] }); // the child, home not given
      homes.get('').people.push(person);
    } else network.push(person);
  }
  const households = [...homes.values()].map((home) => ({
    ...home, people: home.people.sort(byRole), childHome: home.people.some((p) => p.role === 'child'),
  }));
  households.sort((a, b) => Number(b.childHome) - Number(a.childHome));
  return { households, network: network.sort(byRole), professionals: professionals.sort(byRole) };
}

/** Centre-out order: the first stays in the middle, the next go right, left, right ... */
export function centreOut(list) {
  const placed = [];
  list.forEach((entry, index) => (index % 2 ? placed.push(entry) : placed.unshift(entry)));
  return placed;
}

function nodeLines(person, roles) {
  const about = person.relationship || roles[person.role] || '';
  const age = person.age === null || person.age === undefined ? '' : String(person.age);
  return [clip(person.name), clip([about, age].filter(Boolean).join(', '))];
}

function box(kind, label, people, roles, columns) {
  const rows = Math.max(1, Math.ceil(people.length / columns));
  const cols = Math.max(1, Math.min(columns, people.length));
  return {
    kind, label, people, roles,
    width: cols * NODE.width + (cols - 1) * GAP + 2 * PAD,
    height: HEAD + rows * NODE.height + (rows - 1) * GAP + PAD,
    columns: cols,
  };
}

function place(boxes, top, width) {
  const rowWidth = boxes.reduce((sum, b) => sum + b.width, 0) + GAP * (boxes.length - 1);
  let x = (width - rowWidth) / 2;
  for (const b of boxes) { b.x = x; b.y = top; x += b.width + GAP; }
  return Math.max(0, ...boxes.map((b) => b.height));
}

/** Where every box and person goes: plain numbers and strings, no DOM. */
export function layoutNetwork(people, labels) {
  const { households, network, professionals } = groupPeople(people);
  const { roles } = labels;
  const homeBoxes = households.map((home) => box(home.childHome ? 'child-home' : 'home', home.label || labels.child_home, home.people, roles, 1));
  const homeRows = [];
  for (let i = 0; i < homeBoxes.length; i += PER_ROW) homeRows.push(centreOut(homeBoxes.slice(i, i + PER_ROW)));
  const bands = [
    network.length ? [box('network', labels.network, network, roles, PER_ROW)] : [],
    ...homeRows,
    professionals.length ? [box('professionals', labels.professionals, professionals, roles, PER_ROW)] : [],
  ].filter((row) => row.length);
  const width = Math.max(NODE.width + 2 * PAD, ...bands.map((row) => row.reduce((sum, b) => sum + b.width, 0) + GAP * (row.length - 1))) + 2 * GAP;
  let top = GAP;
  for (const row of bands) top += place(row, top, width) + 2 * GAP;
  const boxes = bands.flat();
  const nodes = boxes.flatMap((b) => b.people.map((person, index) => ({
    id: person.id,
    role: person.role,
    lines: nodeLines(person, roles),
    x: b.x + PAD + (index % b.columns) * (NODE.width + GAP),
    y: b.y + HEAD + Math.floor(index / b.columns) * (NODE.height + GAP),
  })));
  const hub = boxes.find((b) => b.kind === 'child-home');
  const links = hub ? boxes.filter((b) => b !== hub).map((b) => ({ from: hub, to: b })) : [];
  return { width, height: Math.max(top - GAP, NODE.height), boxes, nodes, links };
}

const SVG = 'http://www.w3.org/2000/svg';

function element(name, attributes, text) {
  const made = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) made.setAttribute(key, String(value));
  if (text !== undefined) made.textContent = text;
  return made;
}

const centre = (b) => [b.x + b.width / 2, b.y + b.height / 2];

/** Draw the layout into an <svg>, replacing what was there. */
export function drawNetwork(svg, layout) {
  svg.setAttribute('viewBox', `0 0 ${layout.width} ${layout.height}`);
  const parts = [];
  for (const link of layout.links) {
    const [x1, y1] = centre(link.from);
    const [x2, y2] = centre(link.to);
    parts.push(element('line', { x1, y1, x2, y2, class: 'network-link' }));
  }
  for (const b of layout.boxes) {
    parts.push(element('rect', { x: b.x, y: b.y, width: b.width, height: b.height, rx: 10, class: `network-box is-${b.kind}` }));
    const fits = Math.floor((b.width - 2 * PAD) / 9); // a bold 15px character is about 9 wide
    parts.push(element('text', { x: b.x + PAD, y: b.y + 21, class: 'network-box-label' }, clip(b.label, fits)));
  }
  for (const node of layout.nodes) {
    const group = element('g', { class: `network-person is-${node.role}`, 'data-person-id': node.id });
    group.append(
      element('rect', { x: node.x, y: node.y, width: NODE.width, height: NODE.height, rx: node.role === 'child' ? 26 : 6 }),
      element('text', { x: node.x + 12, y: node.y + 23, class: 'network-name' }, node.lines[0]),
      element('text', { x: node.x + 12, y: node.y + 44, class: 'network-about' }, node.lines[1]),
    );
    parts.push(group);
  }
  svg.replaceChildren(...parts);
}

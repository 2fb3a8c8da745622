// One quiet composer: each section shows its cards and a "+ Add" button, which opens that
// section's box and closes any other (what was typed there stays for later). Enter adds
// (writing the next card at once), Escape or Cancel closes it. Whose view the card records is
// shown at the box and starts from the writer's own each time a box opens, never carried over
// from another section. The facilitator or a scribe may write for someone in the room without
// a device ("Written for"): their view comes with them.

const SCRIBES = new Set(['facilitator', 'scribe']);

/** The people in the room without a device, and whether this user may write for them. */
export function writers(state) {
  const me = state.participants.find((p) => p.id === state.you);
  return {
    mayScribe: Boolean(me && SCRIBES.has(me.role)),
    people: state.participants.filter((p) => p.role === 'in_room').sort((a, b) => a.name.localeCompare(b.name)),
  };
}

/** The view a card starts with: the chosen person's (written for), else the writer's own. */
export function startingView(state, onBehalfOf, ownDefault) {
  const person = onBehalfOf ? state.participants.find((p) => p.id === onBehalfOf) : null;
  return person?.view || ownDefault;
}

/** The extra fields of an add_item sent from this form (the person written for). */
export function writtenFor(form) {
  const value = form.querySelector('select[name="on_behalf_of"]')?.value;
  return value ? { on_behalf_of: Number(value) } : {};
}

function opener(form) {
  return form.closest('section')?.querySelector('[data-action="open-composer"]');
}

export function closeComposer(form, focus = true) {
  if (form.hidden) return;
  form.hidden = true;
  const button = opener(form);
  button?.setAttribute('aria-expanded', 'false');
  if (focus) button?.focus();
}

/** Show a section's box as it is (words given back to it), leaving other boxes as they are. */
export function showComposer(form) {
  form.hidden = false;
  opener(form)?.setAttribute('aria-expanded', 'true');
}

export function openComposer(root, form, state) {
  for (const other of root.querySelectorAll('.add-form:not([hidden])')) if (other !== form) closeComposer(other, false);
  const view = form.querySelector('select[name="view"]');
  const writer = form.querySelector('select[name="on_behalf_of"]');
  if (writer) writer.value = '';
  if (view) view.value = view.dataset.default || view.value; // never carried over from elsewhere
  form.hidden = false;
  opener(form)?.setAttribute('aria-expanded', 'true');
  form.querySelector('textarea')?.focus();
}

/** Keep each "Written for" list to the people in the room, shown only to whoever may scribe. */
export function renderWriters(root, state, strings) {
  const { mayScribe, people } = writers(state);
  for (const select of document.querySelectorAll('select[name="on_behalf_of"]')) {
    select.closest('.writer-choice').hidden = !mayScribe || !people.length;
    const chosen = select.value;
    const options = [new Option(strings.written_for_me, '')];
    for (const person of people) options.push(new Option(person.name, String(person.id)));
    select.replaceChildren(...options);
    select.value = people.some((p) => String(p.id) === chosen) ? chosen : '';
  }
}

/** "Written for" changed: the card's view becomes that person's (or the writer's own). */
export function chooseWriter(app, select) {
  const view = select.closest('form').querySelector('select[name="view"]');
  view.value = startingView(app.state(), Number(select.value) || null, view.dataset.default);
}

/** The facilitator or a scribe names someone in the room without a device, to write for them. */
export async function addRoomPerson(app, form) {
  const name = form.querySelector('[name="name"]');
  const error = form.querySelector('.form-error');
  const ack = await app.send('add_room_person', { name: name.value, view: form.querySelector('[name="view"]').value });
  error.hidden = ack.ok;
  if (!ack.ok) { error.textContent = ack.error?.message ?? ''; return; }
  name.value = '';
}

export function renderRoomPeople(form, state) {
  const panel = form?.closest('[data-room-person]');
  if (panel) panel.hidden = !writers(state).mayScribe || state.meeting.status !== 'live';
}

// Who is involved: the list of people around the child with its add / change form, and
// the family and network diagram. The list lives with the case; changes are board ops
// (their flows here, their rows in intents.js).
import { cloneTemplate, format, setText } from '../lib/dom.js';
import { ackMessage } from './writing.js';
import { listedPeople } from './state.js';
import { drawNetwork, layoutNetwork } from './network_diagram.js';
import { initials } from './view.js';

/** A name as this screen shows it: the projector asked to show initials shows "M.L.". */
export function shownName(person, state, config) {
  const asked = config.display && state.meeting.show_initials && /\s/.test(person.name.trim());
  return asked ? initials(person.name) : person.name;
}

export function diagramLabels(config) {
  const { strings } = config;
  return { roles: config.network_roles, network: strings.diagram_network, professionals: strings.diagram_professionals, child_home: strings.diagram_child_home };
}

/** "mother, 34, lives in Home 1 · Parent or caregiver" */
export function aboutPerson(person, config) {
  const { strings } = config;
  const parts = [person.relationship, person.age == null ? '' : format(strings.involved_age, { age: person.age }), person.household ? format(strings.involved_lives_in, { household: person.household }) : ''];
  return `${parts.filter(Boolean).join(', ')} · ${config.network_roles[person.role] || person.role}`.replace(/^ · /, '');
}

function mayChange(person, state, config) {
  if (config.display || state.meeting.status !== 'live' || !config.may_add_people) return false;
  return config.is_staff || person.added_by === state.you;
}

function renderList(panel, people, state, config) {
  const list = panel.querySelector('#involved-list');
  if (!list) return;
  list.replaceChildren(...people.map((person) => {
    const row = cloneTemplate('tpl-involved-person');
    row.dataset.personId = String(person.id);
    row.classList.add(`is-${person.role}`);
    setText(row.querySelector('.involved-name'), person.name);
    setText(row.querySelector('.involved-about'), aboutPerson(person, config));
    const actions = row.querySelector('.involved-actions');
    // not saved yet: marked, and nothing to change until the server has given it an id
    row.classList.toggle('is-pending', Boolean(person.pending));
    actions.hidden = !mayChange(person, state, config) || Boolean(person.provisional);
    const edit = actions.querySelector('[data-action="edit-person"]');
    edit.setAttribute('aria-label', format(config.strings.involved_edit_label, { name: person.name }));
    const remove = actions.querySelector('[data-action="take-off-list"]');
    remove.setAttribute('aria-label', format(config.strings.involved_remove_label, { name: person.name }));
    return row;
  }));
  panel.querySelector('#involved-empty').hidden = people.length > 0;
  const households = [...new Set(people.map((p) => p.household).filter(Boolean))];
  panel.querySelector('#household-options').replaceChildren(...households.map((h) => new Option(h)));
}

/** The list, the form's visibility and the diagram, from the state. */
export function renderInvolved(panel, state, config) {
  if (!panel) return;
  const people = listedPeople(state).map((person) => ({ ...person, name: shownName(person, state, config) }));
  if (panel.contains(document.activeElement) && document.activeElement.closest('#involved-list')) {
    // keep focus on the row's control while the list is rebuilt
    const id = document.activeElement.closest('li')?.dataset.personId;
    const action = document.activeElement.dataset.action;
    renderList(panel, people, state, config);
    panel.querySelector(`li[data-person-id="${id}"] [data-action="${action}"]`)?.focus();
  } else renderList(panel, people, state, config);
  const form = panel.querySelector('#person-form');
  if (form) form.hidden = !config.may_add_people || state.meeting.status !== 'live';
  document.body.classList.toggle('has-network', people.length > 0);
  const svg = panel.querySelector('#network-diagram');
  drawNetwork(svg, layoutNetwork(people, diagramLabels(config)));
  svg.setAttribute('aria-label', format(config.strings.diagram_label, { count: people.length }));
}

function fieldsOf(form, config) {
  const value = (name) => form.elements[name].value.trim();
  if (!value('name')) return { problem: config.strings.involved_need_name, field: 'name' };
  const age = value('age');
  if (form.elements.age.validity.badInput) return { problem: config.strings.involved_bad_age, field: 'age' };
  if (age && !/^\d{1,3}$/.test(age)) return { problem: config.strings.involved_bad_age, field: 'age' };
  if (age && Number(age) > 120) return { problem: config.strings.involved_bad_age, field: 'age' };
  if (!form.elements.role.value) return { problem: config.strings.involved_need_role, field: 'role' };
  return { fields: { name: value('name'), relationship: value('relationship'), age: age ? Number(age) : null, household: value('household'), role: form.elements.role.value } };
}

function showProblem(form, message, field) {
  const error = form.querySelector('.form-error');
  error.hidden = !message;
  error.textContent = message || '';
  for (const input of form.querySelectorAll('input, select')) input.removeAttribute('aria-invalid');
  if (field) { form.elements[field].setAttribute('aria-invalid', 'true'); form.elements[field].focus(); }
}

function resetForm(form, config) {
  form.reset();
  delete form.dataset.personId;
  delete form.dataset.baseVersion;
  delete form.dataset.shown;
  setText(form.querySelector('#person-form-title'), form.dataset.addTitle);
  setText(form.querySelector('button[type="submit"]'), config.strings.involved_add);
  form.querySelector('[data-action="cancel-person"]').hidden = true;
  showProblem(form, null);
}

/** A person's value as its form field holds it. */
function asField(person, key) {
  return person[key] === null || person[key] === undefined ? '' : String(person[key]);
}

function startEditing(form, person, config) {
  form.dataset.personId = String(person.id);
  form.dataset.baseVersion = String(person.version);
  form.dataset.shown = JSON.stringify(person); // what the form started from: only changes are sent
  for (const key of ['name', 'relationship', 'age', 'household', 'role']) form.elements[key].value = asField(person, key);
  setText(form.querySelector('#person-form-title'), format(config.strings.involved_editing, { name: person.name }));
  setText(form.querySelector('button[type="submit"]'), config.strings.involved_save);
  form.querySelector('[data-action="cancel-person"]').hidden = false;
  showProblem(form, null);
  form.elements.name.focus();
}

const FIELDS = ['name', 'relationship', 'age', 'household', 'role'];

/** Add a person, or save the changes to one: add_person or edit_person (only what changed). */
export async function submitPerson(app, form) {
  const { config } = app;
  const { fields, problem, field } = fieldsOf(form, config);
  if (problem) { showProblem(form, problem, field); return; }
  const editing = form.dataset.personId ? { ...JSON.parse(form.dataset.shown), id: Number(form.dataset.personId), version: Number(form.dataset.baseVersion) } : null;
  let type = 'add_person';
  let payload = fields;
  if (editing) {
    const changes = Object.fromEntries(Object.entries(fields).filter(([key, value]) => value !== (editing[key] ?? (key === 'age' ? null : ''))));
    if (!Object.keys(changes).length) { resetForm(form, config); form.elements.name.focus(); return; }
    type = 'edit_person';
    payload = { person_id: editing.id, base_version: editing.version, ...changes };
  }
  // the list shows the change at once (not saved yet): the form is free for the next person
  const typed = Object.fromEntries(FIELDS.map((key) => [key, form.elements[key].value]));
  resetForm(form, config);
  form.elements.name.focus();
  const ack = await app.send(type, payload);
  if (ack.ok) return;
  if (form.dataset.personId || FIELDS.some((key) => key !== 'role' && form.elements[key].value.trim())) {
    app.alert(ackMessage(config, ack)); // the form is in use again: say so without taking it over
    return;
  }
  // refused: what was typed comes back into the form, with the reason
  if (editing) startEditing(form, editing, config);
  for (const key of FIELDS) form.elements[key].value = typed[key];
  if (ack.error.code === 'conflict') {
    // keep what was typed; fields left alone take their new values; a second save goes
    // over their version on purpose
    const theirs = ack.error.person;
    for (const key of FIELDS) {
      if (form.elements[key].value.trim() === asField(editing, key)) form.elements[key].value = asField(theirs, key);
    }
    form.dataset.baseVersion = String(theirs.version);
    form.dataset.shown = JSON.stringify(theirs);
    showProblem(form, format(config.strings.involved_conflict, { now: `${theirs.name}, ${aboutPerson(theirs, config)}` }));
    return;
  }
  showProblem(form, ackMessage(config, ack), ack.error.code === 'full_name' ? 'name' : null);
}

/** The add form's title, kept to come back to after editing someone (once, at load). */
export function prepareInvolved(panel) {
  const form = panel?.querySelector('#person-form');
  if (form) form.dataset.addTitle = form.querySelector('#person-form-title').textContent;
}

/** Leave editing someone: the form is the add form again. */
export function cancelPerson(app) {
  const form = document.getElementById('person-form');
  resetForm(form, app.config);
  form.elements.name.focus();
}

/** A person on the list, by the row a control is in. */
function personOf(app, button) {
  return app.state().involved.get(Number(button.closest('li').dataset.personId));
}

export function editPerson(app, button) {
  const person = personOf(app, button);
  if (person) startEditing(document.getElementById('person-form'), person, app.config);
}

export async function takeOffList(app, button) {
  const person = personOf(app, button);
  if (!person || !window.confirm(format(app.config.strings.involved_confirm_remove, { name: person.name }))) return;
  const ack = await app.send('remove_person', { person_id: person.id });
  if (!ack.ok) app.alert(ackMessage(app.config, ack));
  else document.getElementById('person-form').elements.name.focus();
}

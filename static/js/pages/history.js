// History of a board: the slider moves through revisions (each one a page, rev in the URL).
const form = document.querySelector('[data-rev-form]');
if (form) {
  const range = form.querySelector('input[type="range"]');
  const output = form.querySelector('[data-rev-output]');
  form.querySelector('[data-rev-submit]').hidden = true;
  range.addEventListener('input', () => { output.textContent = range.value; });
  range.addEventListener('change', () => form.requestSubmit());
}

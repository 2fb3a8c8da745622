// Open next steps on the case page: show one person's rows (the name stays in the page,
// never in a URL).

/** Whether a row for this owner is shown under the chosen filter ('' shows everyone). */
export function shows(owner, chosen) {
  return chosen === '' || owner === chosen;
}

/** Wire a filter <select> to the rows it filters. */
export function wireStepFilter(select, rows) {
  const apply = () => {
    for (const row of rows) row.hidden = !shows(row.dataset.owner, select.value);
  };
  select.addEventListener('change', apply);
  apply();
}

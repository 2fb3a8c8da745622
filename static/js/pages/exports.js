// Export links: the file is fetched, and a "Preparing the file…" note appears when it takes
// more than a second (a long PDF). The file is handed to the browser's download as a blob in
// memory, never kept in browser storage. When the server asks to confirm the password first
// (401 with X-Step-Up: required, after a few minutes without entering it), the page goes to
// that confirmation, which comes back here. When every export worker is busy (503 with
// Retry-After), the note asks to try again in a minute.
const SLOW_MS = 1000;

/** The link's address with the language chosen in its menu (one language, or two side by side). */
function withLanguage(link) {
  const chosen = link.closest('.export-menu').querySelector('input[data-export-language]:checked');
  const address = new URL(link.href, window.location.href);
  if (chosen) address.searchParams.set('lang', chosen.value);
  return address.href;
}

async function download(link) {
  const note = link.closest('.export-menu').querySelector('.export-progress');
  const slow = setTimeout(() => { note.textContent = note.dataset.preparing; }, SLOW_MS);
  try {
    const response = await fetch(withLanguage(link), {
      credentials: 'same-origin',
      headers: { 'X-Requested-With': 'fetch' },
    });
    if (response.status === 401 && response.headers.get('X-Step-Up') === 'required') {
      const { step_up: confirm } = await response.json();
      const next = window.location.pathname + window.location.search;
      window.location.assign(`${confirm}?next=${encodeURIComponent(next)}`);
      return;
    }
    if (response.status === 503 && response.headers.get('Retry-After')) {
      note.textContent = note.dataset.busy; // every render worker busy: try again in a minute
      return;
    }
    if (!response.ok) throw new Error(String(response.status));
    const name = /filename="([^"]+)"/.exec(response.headers.get('Content-Disposition') || '')?.[1] || 'export';
    const url = URL.createObjectURL(await response.blob());
    const save = document.createElement('a');
    save.href = url;
    save.download = name;
    document.body.append(save);
    save.click();
    save.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    note.textContent = '';
  } catch {
    note.textContent = note.dataset.failed;
  } finally {
    clearTimeout(slow);
  }
}

if (!document.documentElement.dataset.exportsBound) {
  document.documentElement.dataset.exportsBound = '1';
  document.addEventListener('click', (event) => {
    const link = event.target.closest('.export-menu a[download]');
    if (!link) return;
    event.preventDefault();
    download(link);
  });
}

// The action plan page: the Print button opens the browser's print dialog (the print
// styles leave only the plan on paper).
const button = document.querySelector('[data-print]');
if (button) button.addEventListener('click', () => window.print());

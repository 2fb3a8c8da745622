// Case page: choosing a meeting kind picks its usual map; the next steps filter by person.
import { wireStepFilter } from './step_filter.js';

const kind = document.getElementById('kind');
const framework = document.getElementById('framework');
if (kind && framework) {
  const pick = () => { framework.value = kind.selectedOptions[0].dataset.framework; };
  kind.addEventListener('change', pick);
  pick();
}
const filter = document.querySelector('[data-step-filter]');
if (filter) wireStepFilter(filter, document.querySelectorAll('.steps-table tbody tr'));

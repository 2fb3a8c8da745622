// Case page: choosing a meeting kind picks its usual map.
const kind = document.getElementById('kind');
const framework = document.getElementById('framework');
if (kind && framework) {
  const pick = () => { framework.value = kind.selectedOptions[0].dataset.framework; };
  kind.addEventListener('change', pick);
  pick();
}

// Scale the display's text so the whole map fits the screen without scrolling.
const MIN_PX = 9;
const MAX_PX = 44;

function overflows(container) {
  return container.scrollHeight > container.clientHeight + 1 || container.scrollWidth > container.clientWidth + 1;
}

export function fitToViewport(container) {
  let low = MIN_PX;
  let high = MAX_PX;
  while (high - low > 0.5) {
    const mid = (low + high) / 2;
    container.style.fontSize = `${mid}px`;
    if (overflows(container)) high = mid; else low = mid;
  }
  container.style.fontSize = `${low}px`;
}

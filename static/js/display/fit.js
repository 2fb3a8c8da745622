// Fit one text into its box: the largest font size between two bounds at which the box
// does not overflow. The lower bound is the room's floor (20 px), except in the overview.

function overflows(box) {
  return box.scrollHeight > box.clientHeight + 1 || box.scrollWidth > box.clientWidth + 1;
}

export function fitText(target, box, minPx, maxPx) {
  let low = minPx;
  let high = maxPx;
  target.style.fontSize = `${high}px`;
  if (!overflows(box)) return high;
  while (high - low > 0.5) {
    const mid = (low + high) / 2;
    target.style.fontSize = `${mid}px`;
    if (overflows(box)) high = mid; else low = mid;
  }
  target.style.fontSize = `${low}px`;
  return low;
}

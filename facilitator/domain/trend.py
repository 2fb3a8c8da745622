"""The scale trend chart's geometry: numbers in, SVG coordinates out (pure).

The server draws the chart (no chart library): one column per round, every rating a dot,
the spread as a bar from lowest to highest, the median marked.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from facilitator.domain.scaling import spread

WIDTH, HEIGHT = 560, 220
LEFT, RIGHT, TOP, BOTTOM = 40, 16, 14, 34
SCALE_MAX = 10


def y_of(value: float) -> float:
    """The vertical position of a scale value (10 at the top)."""
    return TOP + (SCALE_MAX - value) * (HEIGHT - TOP - BOTTOM) / SCALE_MAX


def chart(points: list[dict[str, Any]]) -> dict[str, Any]:
    """Columns for each point ({"label", "values"}): x, the spread bar, median, dots."""
    step = (WIDTH - LEFT - RIGHT) / max(len(points), 1)
    columns = []
    for index, point in enumerate(points):
        x = LEFT + step * (index + 0.5)
        values = sorted(point["values"])
        found = spread(values)
        columns.append(
            {
                "x": round(x, 1),
                "label": point["label"],
                "spread": found,
                "bar": (round(y_of(found["max"]), 1), round(y_of(found["min"]), 1))
                if values
                else None,
                "median_y": round(y_of(found["median"]), 1) if values else None,
                "dots": _dots(x, values),
            }
        )
    line = [(c["x"], c["median_y"]) for c in columns if c["median_y"] is not None]
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "ticks": [(v, round(y_of(v), 1)) for v in range(0, SCALE_MAX + 1, 2)],
        "columns": columns,
        "median_path": " ".join(f"{x},{y}" for x, y in line),
        "label_y": HEIGHT - 12,
    }


def _dots(x: float, values: list[int]) -> list[dict[str, float]]:
    """One dot per rating; equal ratings side by side so each stays visible."""
    seen: Counter[int] = Counter()
    dots = []
    for value in values:
        offset = (seen[value] - (values.count(value) - 1) / 2) * 9
        seen[value] += 1
        dots.append({"x": round(x + offset, 1), "y": round(y_of(value), 1), "value": value})
    return dots

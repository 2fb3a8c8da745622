"""Summarise a py-spy raw (collapsed stacks) file: where the server's samples went.

    .venv/bin/python bench/stacks.py bench/results/profile-app.txt [--top 30]

Prints the functions with the most samples on top of the stack (self), the functions
with the most samples anywhere below them (inclusive), and the app's own functions.
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from pathlib import Path

LINE = re.compile(r":\d+\)$")


def load(path: Path, lines: bool = False) -> tuple[int, Counter[str], Counter[str]]:
    total, own, inclusive = 0, Counter[str](), Counter[str]()
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        samples = int(count)
        total += samples
        frames = stack.split(";") if lines else [LINE.sub(")", f) for f in stack.split(";")]
        own[frames[-1]] += samples
        for frame in set(frames):
            inclusive[frame] += samples
    return total, own, inclusive


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--lines", action="store_true", help="one frame per line, not function")
    args = parser.parse_args()
    total, own, inclusive = load(args.file, args.lines)
    print(f"{total} samples")
    sections = [
        ("self", own.most_common(args.top)),
        ("inclusive", inclusive.most_common(args.top)),
        (
            "facilitator/ (inclusive)",
            [(f, n) for f, n in inclusive.most_common() if "facilitator/" in f][: args.top],
        ),
    ]
    for title, rows in sections:
        print(f"\n--- {title}")
        for frame, samples in rows:
            print(f"{100 * samples / max(total, 1):5.1f}%  {frame}")


if __name__ == "__main__":
    main()

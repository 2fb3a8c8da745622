"""How an export names each person of a meeting: one label per person, used by every file.

A person is named as the meeting named them (their display name), or by initials where the
file uses initials. Initials are made unique within the file and never equal the case label
or its initials: "Abuela Rosa" in case "A.R. (12)" becomes "Ab.R.", not "A.R.", so that no
reader takes the grandmother's words for the child's. The child's own words are marked as
the child's ("the child, A."). Pure: plain values in, labels out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from facilitator.domain.text import N_

CHILD_VIEW = "child"  # a participant who said they are the child or young person
CHILD_LABEL = N_("the child, %(name)s")
_WORD = re.compile(r"[^\W_]+")
_INITIALS = re.compile(r"(?:[^\W\d_]\.)+")
_CAPITALS = re.compile(r"\b[A-Z]{2,4}\b")


@dataclass(frozen=True)
class Person:
    """Someone an export names: key is unique in the file (("participant", 4) ...)."""

    key: tuple[str, int]
    name: str
    child: bool = False
    as_written: bool = False  # never initials ("Grandma" on the list stays "Grandma")


def initials(name: str, first_letters: int = 1) -> str:
    """'Maria Lopez' -> 'M.L.'; with first_letters=2, 'Ma.L.' (the first word longer)."""
    words = [w for w in _WORD.findall(name) if w[:1].isalnum()]
    parts = [w[:first_letters].capitalize() if n == 0 else w[0].upper()
             for n, w in enumerate(words)]  # fmt: skip
    return "".join(f"{part}." for part in parts)


def _plain(label: str) -> str:
    return " ".join(label.casefold().split())


def reserved(case_label: str) -> set[str]:
    """What no person's label may be: the case label, its initials, initials written in it."""
    found = {_plain(case_label), _plain(initials(case_label))}
    found |= {_plain(match) for match in _INITIALS.findall(case_label)}
    # initials written without dots ("JM 4y"): J.M. is the child's too
    found |= {_plain("".join(f"{c}." for c in word)) for word in _CAPITALS.findall(case_label)}
    return {label for label in found if label}


def _candidates(name: str, use_initials: bool) -> Iterator[str]:
    """Ever longer ways to name a person: initials with more of the first word, then a number."""
    if not use_initials or not initials(name):
        base = name
    else:
        base = initials(name)
        first = (_WORD.findall(name) or [""])[0]
        for letters in range(1, len(first) + 1):
            yield initials(name, letters)
    yield base
    number = 2
    while True:
        yield f"{base} {number}"
        number += 1


def labels(
    people: Iterable[Person], case_label: str, use_initials: bool, child: str = CHILD_LABEL
) -> dict[Any, str]:
    """Each person's label (key -> label), in the order given: the first keeps the shortest
    free label. Someone of another list with the very same name (the grandmother in the
    room and on the list of people around the child) shares the label. People without a
    name get none (the export says "Anonymous"). child: the wording of the child's label,
    translated ("the child, %(name)s")."""
    taken = reserved(case_label)
    found: dict[Any, str] = {}
    by_name: dict[str, tuple[str, str]] = {}  # plain name -> (list, label)
    for person in people:
        name = " ".join(person.name.split())
        if not name:
            continue
        earlier = by_name.get(_plain(name))
        if earlier and earlier[0] != person.key[0]:
            found[person.key] = earlier[1]
            continue
        label = next(
            c
            for c in _candidates(name, use_initials and not person.as_written)
            if _plain(c) not in taken
        )
        taken.add(_plain(label))
        by_name.setdefault(_plain(name), (person.key[0], label))
        found[person.key] = child % {"name": label} if person.child else label
    return found

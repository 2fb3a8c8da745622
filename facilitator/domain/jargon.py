"""Agency words a family may not know, with plainer ones (DOMAIN.md §3, family mode).

The board flags them in family-facing items as a suggestion, never a block: the list goes
with the page and the one rule that finds the words is `static/js/board/jargon.js` (tested
with node --test). Agencies add their own words in the admin settings (the list here is the
starting point).
"""

from __future__ import annotations

from facilitator.domain.errors import UserError
from facilitator.domain.text import N_

# term -> a plainer way to say it
JARGON: dict[str, str] = {
    "substantiated": N_("the agency found it happened"),
    "unsubstantiated": N_("the agency could not confirm it"),
    "allegation": N_("what someone reported"),
    "allegations": N_("what people reported"),
    "DV": N_("violence at home between adults"),
    "domestic violence": N_("violence at home between adults"),
    "IPV": N_("violence between partners"),
    "reunification": N_("the child coming back home"),
    "dependency": N_("the court case about the child"),
    "detention": N_("the child being taken into care"),
    "disposition": N_("the court's decision about the plan"),
    "petition": N_("the papers filed with the court"),
    "CFT": N_("family team meeting"),
    "CWS": N_("child welfare services"),
    "SDM": N_("the safety and risk tools the agency uses"),
    "case plan": N_("the plan we agree on"),
    "service provider": N_("the people helping the family"),
    "maltreatment": N_("harm to the child"),
    "perpetrator": N_("the person who caused harm"),
    "protective capacity": N_("what keeps the child safe"),
    "mandated reporter": N_("someone who must tell the agency about worries"),
    "ICWA": N_("the law that protects Native children and tribes"),
    "placement": N_("where the child is living"),
    "TDM": N_("team decision meeting"),
}


JARGON_ENTRIES_MAX = 200
TERM_MAX = 40
PLAIN_MAX = 120


class JargonError(UserError):
    """A word list that cannot be read, with a message for the admin."""


def parse_jargon_lines(text: str) -> dict[str, str]:
    """An agency's list, one "word = plainer word" per line; blank lines are skipped."""
    words: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        term, sep, plain = line.partition("=")
        term, plain = term.strip(), plain.strip()
        if not sep or not term or not plain:
            raise JargonError(
                N_("The word list, line %(num)s: write it as: word = plainer word"), num=number
            )
        if len(term) > TERM_MAX or len(plain) > PLAIN_MAX:
            raise JargonError(N_("The word list, line %(num)s, is too long."), num=number)
        words[term] = plain
    if len(words) > JARGON_ENTRIES_MAX:
        raise JargonError(
            N_("The word list can hold at most %(max)s words."), max=JARGON_ENTRIES_MAX
        )
    return words


def jargon_lines(words: dict[str, str]) -> str:
    """The list as the admin page shows it for editing."""
    return "\n".join(f"{term} = {plain}" for term, plain in words.items())

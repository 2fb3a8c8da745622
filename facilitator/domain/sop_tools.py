"""The other Safety Organized Practice tools that are boards (DOMAIN.md §4): Three Houses,
Safety House, Safety Circles, the danger statement / safety goal worksheet and the safety
plan. Each is a framework of the same board engine: sections, help text, the family's
wording, a default agenda and the layout that suits it.
"""

from __future__ import annotations

from facilitator.domain.agenda import Step
from facilitator.domain.framework_shape import Column, Framework, Section
from facilitator.domain.text import N_

_WELCOME = Step(
    N_("Welcome"), 5, N_("Who is here, why we meet, and how the child's words are written.")
)
_READ_BACK = N_("Read back")

THREE_HOUSES = Framework(
    key="three_houses",
    name=N_("Three Houses (the child's words)"),
    mode="family",
    layout="houses",
    child_words=True,
    columns=(
        Column("worries", N_("House of Worries"), "house"),
        Column("good", N_("House of Good Things"), "house"),
        Column("dreams", N_("House of Dreams"), "house"),
    ),
    sections=(
        Section(
            "house_worries",
            N_("House of Worries"),
            N_("What the child worries about, written down exactly as the child says it."),
            "worries",
            N_("Things that worry me"),
        ),
        Section(
            "house_good",
            N_("House of Good Things"),
            N_("What is good in the child's life, in the child's own words."),
            "good",
            N_("Good things in my life"),
        ),
        Section(
            "house_dreams",
            N_("House of Dreams"),
            N_(
                "How the child would like things to be: their hopes and dreams, in their own words."
            ),
            "dreams",
            N_("My hopes and dreams"),
        ),
    ),
    agenda=(
        _WELCOME,
        Step(
            N_("House of Worries"), 10, N_("Write the child's worries as said."), ("house_worries",)
        ),
        Step(
            N_("House of Good Things"),
            10,
            N_("What is good, in the child's words."),
            ("house_good",),
        ),
        Step(N_("House of Dreams"), 10, N_("How the child wants things to be."), ("house_dreams",)),
        Step(
            _READ_BACK,
            5,
            N_("Read the child's words back, house by house; change what the child wants changed."),
            ("house_worries", "house_good", "house_dreams"),
        ),
        Step(N_("What happens next"), 5, N_("Tell the child who will see the houses, and why.")),
    ),
)

SAFETY_HOUSE = Framework(
    key="safety_house",
    name=N_("Safety House (the child's words)"),
    mode="family",
    layout="houses",
    child_words=True,
    columns=(
        Column("house", N_("My safety house"), "house"),
        Column("outside", N_("Outside the house")),
        Column("path", N_("The path to the house"), "path"),
    ),
    sections=(
        Section(
            "inside",
            N_("Who lives in my safety house"),
            N_("The people the child wants living with them in a safe home."),
            "house",
            N_("Who lives with me in my safety house?"),
        ),
        Section(
            "visitors",
            N_("Who visits"),
            N_("The people who visit, and what helps the child feel safe when they do."),
            "house",
            N_("Who comes to visit me?"),
        ),
        Section(
            "house_rules",
            N_("The rules of the house"),
            N_("What everyone in the house does so the child is safe, in the child's words."),
            "house",
            N_("The rules that keep me safe"),
        ),
        Section(
            "not_safe",
            N_("People I don't feel safe with"),
            N_("Whom the child does not feel safe with; they stay outside the house for now."),
            "outside",
            N_("People I don't feel safe with"),
        ),
        Section(
            "path",
            N_("The path (the child's own scale)"),
            N_(
                "How close the child feels to living in the safety house: the child's own "
                "scale, and what would take them one step closer."
            ),
            "path",
            N_("How close am I to my safety house?"),
        ),
    ),
    agenda=(
        _WELCOME,
        Step(N_("Inside the house"), 10, N_("Who lives here, and who visits."), ("house",)),
        Step(N_("The rules of the house"), 10, N_("What keeps the child safe."), ("house_rules",)),
        Step(
            N_("Outside the house"), 5, N_("Whom the child doesn't feel safe with."), ("outside",)
        ),
        Step(N_("The path"), 5, N_("The child's own scale: how close to the house?"), ("path",)),
        Step(
            _READ_BACK,
            5,
            N_("Read the child's words back; change what the child wants changed."),
            ("house", "outside", "path"),
        ),
    ),
)

SAFETY_CIRCLES = Framework(
    key="safety_circles",
    name=N_("Safety Circles"),
    mode="family",
    layout="rings",
    columns=(
        Column("circles", N_("Who knows what is happening?"), "rings"),
        Column("helpers", N_("Who could help keep the child safe?")),
    ),
    sections=(
        Section(
            "knows_most",
            N_("Knows most things"),
            N_("The inner circle: people who know most of what has happened and the worries."),
            "circles",
            N_("People who know most things"),
        ),
        Section(
            "knows_little",
            N_("Knows a little"),
            N_("The middle circle: people who know some of it."),
            "circles",
            N_("People who know a little"),
        ),
        Section(
            "knows_nothing",
            N_("Knows nothing yet"),
            N_("The outer circle: people in the family's life who don't know yet."),
            "circles",
            N_("People who don't know yet"),
        ),
        Section(
            "could_help",
            N_("Who could help keep the child safe?"),
            N_("From all three circles: who could be part of the safety network, and how."),
            "helpers",
            N_("People who could help"),
        ),
    ),
    agenda=(
        _WELCOME,
        Step(
            N_("Draw the circles"),
            15,
            N_("Who knows most things, who knows a little, who knows nothing yet."),
            ("circles",),
        ),
        Step(N_("Who could help"), 15, N_("Who could join the safety network?"), ("helpers",)),
        Step(N_("Next steps"), 5, N_("Who will talk to whom, by when.")),
    ),
)

DANGER_GOALS = Framework(
    key="danger_goals",
    name=N_("Danger statements and safety goals (worksheet)"),
    mode="professional",
    layout="worksheet",
    columns=(
        Column("worried", N_("What are we worried about?")),
        Column("needs", N_("What needs to happen?")),
    ),
    sections=(
        Section(
            "danger",
            N_("Danger statements"),
            N_(
                "Looks forward: who is worried that if nothing changes, what is likely to "
                "happen to the child. Each is paired with a safety goal. Keep to about three."
            ),
            "worried",
            N_("What we are worried could happen"),
        ),
        Section(
            "goals",
            N_("Safety goals"),
            N_(
                "One per danger statement: what the caregiver will be doing, what the child "
                "will experience, what we will see, and for how long. Positive behaviour."
            ),
            "needs",
            N_("What we want to see instead"),
        ),
        Section(
            "next_steps",
            N_("Next steps"),
            N_(
                "Small, concrete actions: who, what and by when, tied to a goal or the "
                "scale. Proposed until the supervisor agrees."
            ),
            "needs",
            N_("Who does what, by when"),
        ),
    ),
    agenda=(
        Step(
            N_("Danger statements"),
            10,
            N_("Who is worried, about what, if nothing changes."),
            ("danger",),
        ),
        Step(N_("Safety goals"), 10, N_("One goal for each danger statement."), ("goals",)),
        Step(
            N_("Scale each pair"),
            10,
            N_("Everyone rates each danger and goal privately; then all numbers are shown."),
            ("danger", "goals"),
            True,
        ),
        Step(N_("Next steps"), 5, N_("Who does what, by when."), ("next_steps",)),
    ),
)

SAFETY_PLAN = Framework(
    key="safety_plan",
    name=N_("Safety plan"),
    mode="family",
    layout="list",
    columns=(
        Column("rules", N_("The rules of our safety plan")),
        Column("signs", N_("Warning signs")),
        Column("fails", N_("If the plan fails")),
    ),
    sections=(
        Section(
            "plan_rules",
            N_("Rules"),
            N_(
                "Each rule says what will happen to keep the child safe, who keeps it, and "
                "how to reach them."
            ),
            "rules",
            N_("Our safety rules, and who keeps each one"),
        ),
        Section(
            "warning_signs",
            N_("Warning signs"),
            N_("What everyone will notice if things start to go wrong."),
            "signs",
            N_("How we know things are getting worse"),
        ),
        Section(
            "if_fails",
            N_("What to do if the plan fails"),
            N_("Who does what, and whom to call, when a rule is broken or a sign is seen."),
            "fails",
            N_("What we do if the plan is not working"),
        ),
    ),
    agenda=(
        _WELCOME,
        Step(N_("Rules"), 15, N_("Each rule, who keeps it and their phone."), ("plan_rules",)),
        Step(N_("Warning signs"), 10, N_("What we will notice."), ("warning_signs",)),
        Step(N_("If the plan fails"), 10, N_("What we do, whom we call."), ("if_fails",)),
        Step(
            N_("Read the plan together"),
            5,
            N_("Everyone hears the whole plan and takes it home."),
            ("rules", "signs", "fails"),
        ),
    ),
)

SOP_TOOLS = (THREE_HOUSES, SAFETY_HOUSE, SAFETY_CIRCLES, DANGER_GOALS, SAFETY_PLAN)

"""Agency frameworks: publishing versions, and meetings that keep the version they were
held on."""

import pytest
from builders import add_op, make_case, make_meeting, make_team, make_user, staff_in
from sqlalchemy import select

from facilitator.domain.errors import OperationError
from facilitator.domain.framework_definition import DefinitionError
from facilitator.domain.sop_tools import SOP_TOOLS
from facilitator.exports import markdown, pdf, summary
from facilitator.extensions import db
from facilitator.identity import staff_actor
from facilitator.models import AuditEntry, FrameworkVersion
from facilitator.services import frameworks
from facilitator.services.board import apply_operation
from facilitator.services.exports import meeting_source

V1 = {
    "key": "strengths_first",
    "name": "Strengths first",
    "sections": [
        {"key": "good", "title": "What's going well", "group": "Good"},
        {"key": "worries", "title": "Worries", "group": "Worries"},
    ],
    "agenda": [{"title": "Good things first", "minutes": "10", "sections": "good"}],
}
# v2 renames "good" and removes "worries"
V2 = {
    **V1,
    "sections": [
        {"key": "good", "title": "Strengths", "group": "Good"},
        {"key": "plans", "title": "Plans", "group": "Plans"},
    ],
    "agenda": [{"title": "Strengths", "minutes": "10", "sections": "good plans"}],
}


@pytest.fixture
def people(ctx):
    team = make_team()
    admin = make_user("admin")
    supervisor = make_user("supervisor", team)
    return staff_actor(admin), supervisor, make_case(team, supervisor)


def test_publishing_makes_version_1_then_2_and_audits_each(people):
    admin, _, _ = people
    assert frameworks.publish(admin, V1).version == 1
    assert frameworks.publish(admin, V2, key="strengths_first").version == 2
    stored = [v.version for v in frameworks.versions("strengths_first")]
    assert stored == [2, 1]
    entries = db.session.scalars(select(AuditEntry).filter_by(action="framework.published"))
    assert [e.detail for e in entries] == [
        {"framework": "strengths_first", "version": 1},
        {"framework": "strengths_first", "version": 2},
    ]


def test_a_version_never_changes_once_published(people):
    admin, _, _ = people
    frameworks.publish(admin, V1)
    frameworks.publish(admin, V2, key="strengths_first")
    v1 = frameworks.resolve("strengths_first", 1)
    assert [s.title for s in v1.sections] == ["What's going well", "Worries"]


def test_publishing_the_same_definition_again_is_refused(people):
    admin, _, _ = people
    frameworks.publish(admin, V1)
    with pytest.raises(frameworks.FrameworkError):
        frameworks.publish(admin, V1, key="strengths_first")
    assert len(frameworks.versions("strengths_first")) == 1


def test_a_new_framework_cannot_take_a_built_in_or_agency_key(people):
    admin, _, _ = people
    frameworks.publish(admin, V1)
    for key in ("cisf", "three_houses", "strengths_first"):
        with pytest.raises(DefinitionError):
            frameworks.publish(admin, {**V1, "key": key})
    assert len(db.session.scalars(select(FrameworkVersion)).all()) == 1


def test_a_new_meeting_uses_the_newest_version_and_its_agenda(people):
    admin, supervisor, case = people
    frameworks.publish(admin, V1)
    first = make_meeting(case, supervisor, "family_team", "strengths_first")
    frameworks.publish(admin, V2, key="strengths_first")
    second = make_meeting(case, supervisor, "family_team", "strengths_first")
    assert (first.framework_version, second.framework_version) == (1, 2)
    assert [step["title"] for step in first.agenda] == ["Good things first"]
    assert second.agenda[0]["sections"] == ["good", "plans"]


def test_a_meeting_held_on_v1_keeps_its_sections_and_items_after_v2(people):
    admin, supervisor, case = people
    frameworks.publish(admin, V1)
    meeting = make_meeting(case, supervisor, "family_team", "strengths_first")
    me = staff_in(meeting, supervisor)
    apply_operation(me, add_op(meeting.id, "Dad worries about money.", "worries"))
    frameworks.publish(admin, V2, key="strengths_first")
    # still writable where v1 had a section that v2 removed
    apply_operation(me, add_op(meeting.id, "Gran worries too.", "worries"))
    source = meeting_source(meeting)
    assert [s["title"] for s in source["framework"]["sections"]] == ["What's going well", "Worries"]
    assert source["framework"]["version"] == 1
    assert {i["text"] for i in source["items"]} == {"Dad worries about money.", "Gran worries too."}


def test_a_meeting_on_v2_refuses_the_section_v2_removed(people):
    admin, supervisor, case = people
    frameworks.publish(admin, V1)
    frameworks.publish(admin, V2, key="strengths_first")
    meeting = make_meeting(case, supervisor, "family_team", "strengths_first")
    with pytest.raises(OperationError) as refused:
        apply_operation(staff_in(meeting, supervisor), add_op(meeting.id, "x", "worries"))
    assert refused.value.code == "unknown_section"


def test_a_meeting_on_a_built_in_tool_records_no_version(people):
    _, supervisor, case = people
    meeting = make_meeting(case, supervisor, "family_team", "three_houses")
    assert meeting.framework_version is None
    assert frameworks.of_meeting(meeting).key == "three_houses"
    assert meeting.agenda[-2]["title"] == "Read back"


@pytest.mark.parametrize("tool", SOP_TOOLS, ids=[t.key for t in SOP_TOOLS])
def test_every_tools_items_reach_the_case_file_summary_and_markdown(people, tool):
    _, supervisor, case = people
    meeting = make_meeting(case, supervisor, "family_team", tool.key)
    me = staff_in(meeting, supervisor)
    for number, section in enumerate(tool.sections):
        apply_operation(me, add_op(meeting.id, f"Said in part {number}", section.key))
    model = summary.build(meeting_source(meeting))
    page, text = pdf.html(model), markdown.render(model)
    for number, section in enumerate(tool.sections):
        said = f"Said in part {number}"
        assert (f"\u201c{said}\u201d" if tool.child_words else said) in page, section.key
        assert said in text, section.key

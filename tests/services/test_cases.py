"""Cases: a pseudonymous label, filed under a team, seen only by that team."""

import pytest
from builders import count, make_case, make_team, make_user

from facilitator.domain.privacy import LabelError
from facilitator.identity import staff_actor
from facilitator.models import Case
from facilitator.services import accounts, cases


@pytest.fixture
def worker(ctx):
    return make_user("worker", make_team())


def test_create_case_files_it_under_the_team(worker):
    team = worker.memberships[0].team
    case = cases.create_case(staff_actor(worker), team, "  K.L.  (4) ")
    assert (case.team_id, case.label, case.created_by_id) == (team.id, "K.L. (4)", worker.id)


@pytest.mark.parametrize("label", ["K.L. 04/05/2019", "K.L. case 20240117"])
def test_create_case_refuses_a_label_with_a_date_or_number(worker, label):
    with pytest.raises(LabelError):
        cases.create_case(staff_actor(worker), worker.memberships[0].team, label)
    assert count(Case) == 0


def test_create_case_with_a_full_name_needs_confirmation(worker):
    with pytest.raises(cases.CaseWarning) as warned:
        cases.create_case(staff_actor(worker), worker.memberships[0].team, "Maria Lopez")
    assert warned.value.warnings
    assert count(Case) == 0


def test_create_case_with_a_full_name_is_saved_once_confirmed(worker):
    team = worker.memberships[0].team
    case = cases.create_case(staff_actor(worker), team, "Maria Lopez", confirmed=True)
    assert case.label == "Maria Lopez"


def test_worker_sees_only_the_cases_of_their_teams(worker):
    own = make_case(worker.memberships[0].team, worker, "Own")
    make_case(make_team(), label="Other")
    assert cases.cases_for(staff_actor(worker)) == [own]


def test_worker_in_two_teams_sees_both_teams_cases(worker):
    second = make_team()
    both = make_user("worker", worker.memberships[0].team)
    accounts.add_member(second, both)
    labels = {make_case(worker.memberships[0].team).label, make_case(second, label="B").label}
    assert {c.label for c in cases.cases_for(staff_actor(both))} == labels


def test_admin_sees_every_case(ctx):
    admin = make_user("admin")
    make_case(make_team(), label="One")
    make_case(make_team(), label="Two")
    assert {c.label for c in cases.cases_for(staff_actor(admin))} == {"One", "Two"}


def test_case_list_is_newest_first(worker):
    team = worker.memberships[0].team
    first, second = make_case(team, label="First"), make_case(team, label="Second")
    assert cases.cases_for(staff_actor(worker)) == [second, first]

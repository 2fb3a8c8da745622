"""Staff accounts: Argon2id passwords of NIST length, and only active users sign in."""

import pytest
from builders import PASSWORD, TEST_ARGON2, count, make_team, make_user

from facilitator import config
from facilitator.domain.limits import PASSWORD_MAX, PASSWORD_MIN
from facilitator.extensions import db
from facilitator.models import Team, TeamMember, User
from facilitator.services import accounts


def test_create_user_stores_an_argon2id_hash_not_the_password(ctx):
    user = accounts.create_user("Ann@Example.org ", "Ann  Smith", PASSWORD)
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash
    assert (user.email, user.display_name, user.role) == ("ann@example.org", "Ann Smith", "worker")


def test_the_default_settings_hash_at_the_production_cost(make_app):
    """Tests hash at a cheap cost; a deployment's settings (the defaults) at RFC 9106's."""
    defaults = config.from_environment({"FACILITATOR_SECRET_KEY": "x"})
    app = make_app(**{name: defaults[name] for name in TEST_ARGON2})
    with app.app_context():
        stored = accounts.create_user("ann@example.org", "Ann", PASSWORD).password_hash
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")


def test_a_hash_of_another_cost_is_redone_at_sign_in_at_the_settings_cost(make_app):
    app = make_app(ARGON2_TIME_COST=2, ARGON2_MEMORY_KIB=1024, ARGON2_PARALLELISM=2)
    with app.app_context():
        email = make_user("worker").email  # hashed at the test cost
        assert accounts.authenticate(email, PASSWORD) is not None
        stored = db.session.scalar(db.select(User.password_hash).where(User.email == email))
    assert stored.startswith("$argon2id$v=19$m=1024,t=2,p=2$")


def test_password_one_under_the_minimum_is_refused(ctx):
    with pytest.raises(accounts.AccountError):
        accounts.create_user("a@example.org", "Ann", "x" * (PASSWORD_MIN - 1))
    assert count(User) == 0


def test_password_of_exactly_the_minimum_is_accepted(ctx):
    assert accounts.create_user("a@example.org", "Ann", "x" * PASSWORD_MIN).id


def test_password_over_the_maximum_is_refused(ctx):
    with pytest.raises(accounts.AccountError):
        accounts.check_password_rules("x" * (PASSWORD_MAX + 1))


@pytest.mark.parametrize("email", ["", "no-at-sign", "x" * 250 + "@a.org"])
def test_create_user_refuses_an_invalid_email(ctx, email):
    with pytest.raises(accounts.AccountError):
        accounts.create_user(email, "Ann", PASSWORD)


def test_create_user_refuses_an_empty_name(ctx):
    with pytest.raises(accounts.AccountError):
        accounts.create_user("a@example.org", "   ", PASSWORD)


def test_create_user_refuses_an_unknown_role(ctx):
    with pytest.raises(accounts.AccountError):
        accounts.create_user("a@example.org", "Ann", PASSWORD, role="root")


def test_email_is_unique_whatever_its_case(ctx):
    make_user(email="ann@example.org")
    with pytest.raises(accounts.AccountError):
        accounts.create_user("ANN@example.org", "Ann", PASSWORD)


def test_authenticate_returns_the_user_for_the_right_password(ctx):
    user = make_user(email="ann@example.org")
    assert accounts.authenticate(" Ann@Example.org", PASSWORD) == user


def test_authenticate_refuses_a_wrong_password(ctx):
    make_user(email="ann@example.org")
    assert accounts.authenticate("ann@example.org", PASSWORD + "!") is None


def test_authenticate_refuses_an_unknown_email(ctx):
    assert accounts.authenticate("nobody@example.org", PASSWORD) is None


def test_authenticate_refuses_an_inactive_user(ctx):
    make_user(email="ann@example.org", active=False)
    assert accounts.authenticate("ann@example.org", PASSWORD) is None


def test_has_users_is_false_until_the_first_account(ctx):
    assert not accounts.has_users()
    make_user()
    assert accounts.has_users()


def test_team_names_are_unique(ctx):
    accounts.create_team("Night duty")
    with pytest.raises(accounts.AccountError):
        accounts.create_team(" Night   duty ")
    assert count(Team) == 1


def test_adding_a_member_twice_keeps_one_membership(ctx):
    team, user = make_team(), make_user()
    accounts.add_member(team, user)
    accounts.add_member(team, user)
    assert count(TeamMember) == 1


def test_removed_member_loses_the_team(ctx):
    team = make_team()
    user = make_user(team=team)
    accounts.remove_member(team, user)
    db.session.expire_all()
    assert db.session.get(User, user.id).team_ids == set()


def test_teams_of_a_worker_are_their_own_and_an_admin_has_all(ctx):
    own, other = make_team("A team"), make_team("B team")
    worker, admin = make_user(team=own), make_user("admin")
    assert accounts.teams_of(worker.id, is_admin=False) == [own]
    assert accounts.teams_of(admin.id, is_admin=True) == [own, other]

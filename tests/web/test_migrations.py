"""The migrations build exactly the schema the models describe."""

import logging
import os

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from facilitator import sealed
from facilitator.extensions import db
from facilitator.services.signin import TOTP_SEAL

# SQLite always; PostgreSQL too when this run has one (no skip in a SQLite-only run)
DATABASES = ["sqlite", *(["postgresql"] if os.environ.get("FACILITATOR_TEST_DATABASE_URL") else [])]


@pytest.fixture
def keep_logging():
    """Alembic's env.py reconfigures logging from alembic.ini; put it back afterwards."""
    loggers = logging.root.manager.loggerDict
    disabled = {name: getattr(lg, "disabled", False) for name, lg in loggers.items()}
    root_level, root_handlers = logging.root.level, list(logging.root.handlers)
    yield
    for name, was_disabled in disabled.items():
        logger = loggers.get(name)
        if isinstance(logger, logging.Logger):
            logger.disabled = was_disabled
    logging.root.setLevel(root_level)
    logging.root.handlers[:] = root_handlers


@pytest.fixture
def empty_database(request, make_app, tmp_path, postgres):
    """An app on a database with no tables at all, of the kind asked for."""
    if request.param == "sqlite":
        yield make_app(
            SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'migrated.sqlite3'}",
            SQLALCHEMY_ENGINE_OPTIONS={"connect_args": {"timeout": 15}},
        )
        return
    schema = f"{postgres.schema}_migrated"
    with postgres.engine.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    options = {"pool_pre_ping": True, "connect_args": {"options": f"-csearch_path={schema}"}}
    app = make_app(SQLALCHEMY_ENGINE_OPTIONS=options)
    yield app
    with app.app_context():
        db.engine.dispose()
    with postgres.engine.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))


@pytest.mark.parametrize("empty_database", DATABASES, indirect=True)
def test_upgrade_on_an_empty_database_matches_the_models(empty_database, keep_logging):
    with empty_database.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, db.metadata) == []


@pytest.mark.parametrize("empty_database", DATABASES, indirect=True)
def test_secrets_stored_in_clear_are_sealed_on_upgrade_and_opened_on_downgrade(
    empty_database, keep_logging
):
    """Before 7c2d9e4f1a38 a TOTP secret was stored in clear: the upgrade seals it (bound to
    its user), the downgrade gives back exactly what was there."""
    in_clear = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    key = empty_database.config["SECRET_KEY"]
    with empty_database.app_context():
        upgrade(revision="3b9e1f7a2c64")
        with db.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO users (id, email, display_name, password_hash, role, active,"
                    " created_at, totp_secret, mfa_enabled) VALUES (7, 'ann@example.org', 'Ann',"
                    " 'x', 'supervisor', true, CURRENT_TIMESTAMP, :secret, true)"
                ),
                {"secret": in_clear},
            )
        upgrade()
        with db.engine.connect() as connection:
            stored = connection.execute(text("SELECT totp_secret FROM users")).scalar_one()
        assert in_clear not in stored
        assert sealed.unseal(key, TOTP_SEAL, "7", stored) == in_clear
        downgrade(revision="3b9e1f7a2c64")
        with db.engine.connect() as connection:
            stored = connection.execute(text("SELECT totp_secret FROM users")).scalar_one()
        assert stored == in_clear

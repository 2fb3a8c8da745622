"""Facilitator: live Safety Organized Practice maps for child-welfare teams."""

from __future__ import annotations

from typing import Any

from flask import Flask

from facilitator import config as settings
from facilitator.socket_context import FacilitatorFlask


def create_app(overrides: dict[str, Any] | None = None, commands: bool = True) -> Flask:
    """Build the app: settings, extensions, blueprints, socket handlers, proxies, and the
    `flask` commands (commands=False: the server process, which runs none)."""
    app = FacilitatorFlask(
        __name__,
        static_folder=str(settings.ROOT / "static"),
        template_folder=str(settings.ROOT / "templates"),
    )
    app.config.from_mapping(settings.from_environment())
    app.config.update(overrides or {})

    from facilitator import wiring

    wiring.configure_logging(app)
    wiring.init_extensions(app)
    wiring.register_blueprints(app)
    wiring.register_socket_handlers(app)
    wiring.trust_proxies(app)
    if commands:
        wiring.register_cli(app)
    return app

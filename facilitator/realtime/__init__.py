"""The socket layer: thin handlers, room names, and the one publisher."""

from facilitator.realtime import handlers  # noqa: F401  (registers the handlers)

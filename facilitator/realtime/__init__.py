"""The socket layer: thin handlers, room names, and the one publisher. Importing it
registers nothing: the factory's wiring step calls handlers.register."""

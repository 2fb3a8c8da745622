"""HTTP blueprints: pages and forms."""

"""inventory: models (issue 24)."""

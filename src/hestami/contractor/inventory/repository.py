"""inventory: repository (issue 24)."""

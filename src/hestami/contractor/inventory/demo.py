"""inventory: demo (issue 24)."""

"""inventory: kinds (issue 24)."""

"""inventory's services (issue 24)."""

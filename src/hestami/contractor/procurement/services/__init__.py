"""procurement's services (issue 24)."""

"""maintenance's services (issue 24)."""

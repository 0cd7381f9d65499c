"""maintenance: repository (issue 24)."""

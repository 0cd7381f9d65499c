"""maintenance: models (issue 24)."""

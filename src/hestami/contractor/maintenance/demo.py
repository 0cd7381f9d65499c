"""maintenance: demo (issue 24)."""

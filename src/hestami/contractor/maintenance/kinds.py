"""maintenance: kinds (issue 24)."""

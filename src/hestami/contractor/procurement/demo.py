"""procurement: demo (issue 24)."""

"""procurement: repository (issue 24)."""

"""procurement: models (issue 24)."""

"""procurement: kinds (issue 24)."""

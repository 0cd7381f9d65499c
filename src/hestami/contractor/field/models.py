"""The field domain's tables."""

"""The invoice domain's tables."""

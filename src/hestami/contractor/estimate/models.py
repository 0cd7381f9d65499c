"""The estimate domain's tables."""

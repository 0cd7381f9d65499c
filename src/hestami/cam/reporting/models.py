"""Reporting models (placeholder: filled in next)."""

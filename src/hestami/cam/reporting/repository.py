"""Reporting repository (placeholder: filled in next)."""

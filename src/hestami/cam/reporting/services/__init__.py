"""Reporting services (placeholder: filled in next)."""

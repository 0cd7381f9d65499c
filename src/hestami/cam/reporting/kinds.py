"""Reporting kinds (placeholder: filled in next)."""

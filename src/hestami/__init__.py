"""Hestami: one multi-tenant platform for community associations, contractors and owners."""

__version__ = "0.1.0"

"""The invoice domain's queries."""

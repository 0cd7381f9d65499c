"""The field domain's queries."""

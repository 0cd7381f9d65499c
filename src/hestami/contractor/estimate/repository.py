"""The estimate domain's queries."""

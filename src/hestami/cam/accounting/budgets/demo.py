"""The demo budgets."""

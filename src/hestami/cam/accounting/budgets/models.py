"""budgets: models."""

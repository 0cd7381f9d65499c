"""budgets: repository."""

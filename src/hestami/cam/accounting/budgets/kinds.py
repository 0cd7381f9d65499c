"""budgets: kinds."""

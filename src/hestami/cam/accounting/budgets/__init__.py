"""Domain 2's budgets: an association's annual budget per fund, by GL account and month, adopted by the board."""

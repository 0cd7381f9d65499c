"""portal payments: repository."""

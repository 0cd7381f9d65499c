"""portal payments: models."""

"""portal payments: kinds."""

"""Domain 1's use cases, one module per group of kinds."""

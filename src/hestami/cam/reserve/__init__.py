"""Domain 11: reserve studies — what the reserve fund replaces, when, for how much, and whether it is funded."""

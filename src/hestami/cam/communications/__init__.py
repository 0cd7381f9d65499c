"""Domain 7: communications — message templates, contact preferences and mass communications."""

"""Domain 4: covenant violations, from first sighting through notices, hearing and fine to closing."""

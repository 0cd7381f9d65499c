"""bulletin: repository."""

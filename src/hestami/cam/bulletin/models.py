"""bulletin: models."""

"""communications: models."""

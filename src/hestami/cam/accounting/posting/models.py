"""posting: models."""

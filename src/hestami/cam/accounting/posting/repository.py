"""posting: repository."""

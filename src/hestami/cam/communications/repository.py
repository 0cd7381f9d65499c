"""communications: repository."""

"""communications: kinds."""

"""posting: kinds."""

"""bulletin: kinds."""

"""The demo records of bulletin."""

"""The demo records of posting."""

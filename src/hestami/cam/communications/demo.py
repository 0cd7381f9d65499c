"""The demo records of communications."""

"""The demo records of portal."""

"""The demo records of the owner portal's payments."""

"""Domain 7: the community bulletin — announcements and the calendar."""

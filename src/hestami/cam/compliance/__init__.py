"""Domain 12: compliance — the statutory calendar of each association, its reminders, and checklists."""

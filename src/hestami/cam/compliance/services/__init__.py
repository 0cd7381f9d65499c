"""Domain 12 services: requirements, deadlines, checklists."""

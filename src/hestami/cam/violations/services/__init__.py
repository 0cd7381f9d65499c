"""Domain 4 services: settings and types, violations and their moves, notices, evidence, hearings, fines."""

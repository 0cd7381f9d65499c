"""Domain 5 services: settings, committees, requests and their moves, documents, reviews and decisions."""

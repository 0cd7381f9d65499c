"""Domain 9: the owner portal — profile, requests, payment preferences and documents."""

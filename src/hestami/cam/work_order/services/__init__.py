"""Domain 6's use cases: assets, service providers, work orders, bids and notifications."""

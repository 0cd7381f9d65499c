"""Domain 9's use cases: the caller's profile and contact preferences, owner requests (with their conversion to a
work order and the owner's notices), and the documents an owner may read."""

"""CDM domain 1: associations, properties, units, common areas, parties, ownership, tenancy, management."""

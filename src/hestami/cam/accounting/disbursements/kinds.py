"""disbursements: kinds."""

"""Identity: accounts, sessions, organizations (the tenants), memberships and roles."""

"""Domain 10 services: file intake, documents and versions, access, scopes."""

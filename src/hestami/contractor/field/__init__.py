"""The field technician's backend (issue 23, P2.6): `fieldTech/v1/*`."""

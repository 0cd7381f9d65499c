"""Estimates and proposals with good/better/best options (issue 23, P2.7): `estimate/v1/*`."""

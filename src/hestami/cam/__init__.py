"""CAM: community-association management (the 12 CDM domains)."""

"""Identity's use cases: accounts and sessions; organizations and their members."""

"""Real Postgres, Redis and Cerbos servers started as children, for `hestami dev` and the tests."""

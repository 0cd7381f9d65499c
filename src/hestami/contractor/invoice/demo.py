"""Demo data of invoice (registers its seeder with `hestami.core.demo`)."""

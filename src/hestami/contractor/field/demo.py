"""Demo data of field (registers its seeder with `hestami.core.demo`)."""

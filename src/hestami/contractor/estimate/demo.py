"""Demo data of estimate (registers its seeder with `hestami.core.demo`)."""

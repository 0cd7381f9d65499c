"""portal: models."""

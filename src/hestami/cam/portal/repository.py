"""portal: repository."""

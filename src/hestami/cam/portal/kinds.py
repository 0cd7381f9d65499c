"""portal: kinds."""

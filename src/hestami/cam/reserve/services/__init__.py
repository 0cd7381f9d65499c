"""Domain 11 services: components, studies, funding analysis."""

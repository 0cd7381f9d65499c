"""Financial reports (issue 20): placeholder until the definitions land."""

"""The field domain's record kinds as Cerbos sees them."""

"""The invoice domain's record kinds as Cerbos sees them."""

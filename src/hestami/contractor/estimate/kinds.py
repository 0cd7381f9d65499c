"""The estimate domain's record kinds as Cerbos sees them."""

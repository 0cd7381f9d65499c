"""The demo records of disbursements."""

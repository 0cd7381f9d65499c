"""The contractor's invoices, payments and receivables (issue 23, P2.7): `invoice/v1/*`."""

"""Procurement (issue 24, P2.8): suppliers, purchase orders, receipts, reorder-driven replenishment
(`inventory_workflow_v1`): `procurement/v1/*`."""

"""Inventory (issue 24, P2.8): items, locations (warehouses, trucks, shelves), stock levels, movements, transfers,
usage on job visits, adjustments: `inventory/v1/*`."""

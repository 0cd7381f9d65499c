"""CDM domain 6: assets, service providers and bids, work orders and the workOrderLifecycle_v2 workflow."""

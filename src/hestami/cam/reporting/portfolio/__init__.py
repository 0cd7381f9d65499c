"""Cross-association views (issue 20, spec Phase 14): a management company's portfolio dashboard, a service
provider's assigned work and invoices across the associations it serves, and managers' workload."""

"""Maintenance agreements (issue 24, P2.9): agreements with terms, schedules, billing, renewals and SLA, run by
`maintenance_contract_v1`: `maintenance/v1/*`."""

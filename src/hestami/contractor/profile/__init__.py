"""Contractor identity (P2.1): the contractor's profile, branches, licences and insurance, and its computed
compliance status (`compliance_workflow_v1` re-checks it daily)."""

"""The contractor pillar (Phase 2, ServiceTitan-style): a SERVICE_PROVIDER organization runs its business here.

Domains, in layers (a domain uses the ones below it through their `api`): `pricebook` and `technician` above
`profile` (contractor identity: profile, branches, licences, insurance, compliance). The pillar uses CAM only
through CAM's `api` modules; CAM never imports the pillar (import-linter holds both)."""

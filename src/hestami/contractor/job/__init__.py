"""Jobs (P2.4): customers, jobs with their lifecycle, visits, notes, attachments and QA / warranty checkpoints; the
HOA hand-off (a work order assigned to the contractor becomes its job) and `job_lifecycle_v1`."""

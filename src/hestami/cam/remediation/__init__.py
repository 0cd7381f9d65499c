"""Work the association orders for its other records: a violation's remediation (self-help) and an approved ARC
request's inspection or installation. A work order like any other (the provider's job is handed off the same way),
linked to the record it was ordered for, once per record and kind."""

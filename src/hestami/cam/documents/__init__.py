"""Domain 10: documents and records (governing documents, minutes, reports, plans, photos), their versions, the
text extracted from them for search, who may see them, and every download in the audit trail."""

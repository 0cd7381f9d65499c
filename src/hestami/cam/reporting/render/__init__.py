"""Renderers: ReportData to JSON, CSV, XLSX and PDF files (placeholder: filled in next)."""

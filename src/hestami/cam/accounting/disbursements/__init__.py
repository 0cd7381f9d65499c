"""Domain 2's apPaymentProcessing_v1: invoice approval by thresholds, payment batches, bank files (NACHA,
positive pay), 1099 totals."""

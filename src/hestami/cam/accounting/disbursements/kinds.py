"""The disbursements' record kinds as Cerbos sees them (policies/resource/ap_payment_batch.yaml,
ap_approval_settings.yaml). Invoices, vendors and bank accounts are accounting's kinds (`accounting.kinds`)."""

from __future__ import annotations

from hestami.cam.accounting.disbursements.models import PaymentBatch
from hestami.core.records import RecordKind

PAYMENT_BATCH = RecordKind("ap_payment_batch", PaymentBatch, base_attrs=lambda batch: {"status": batch.status})
APPROVAL_SETTINGS = "ap_approval_settings"
"""Checked per association (`association_id`) whether or not the association has a settings row yet."""

"""Procurement's record kinds as Cerbos sees them (policies/resource/procurement_*.yaml).

Supplier items are read and written through their supplier; a purchase order's lines, receipts and history through
the purchase order (its policy decides, `receive` included); reorders are a kind of their own (read only)."""

from __future__ import annotations

from hestami.contractor.procurement.models import PurchaseOrder, Reorder, Supplier
from hestami.core.records import RecordKind

SUPPLIER = RecordKind("procurement_supplier", Supplier)
PURCHASE_ORDER = RecordKind("procurement_purchase_order", PurchaseOrder)
REORDER = RecordKind("procurement_reorder", Reorder)

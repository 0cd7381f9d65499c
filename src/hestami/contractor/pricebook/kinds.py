"""The pricebook's record kinds as Cerbos sees them (policies/resource/pricebook_*.yaml): organization-wide records
whose policies read only `organization_id` (a rate sheet's `association_id` is the customer it prices for, sent
as the record's association like any kind's; no pricebook policy reads it)."""

from __future__ import annotations

from hestami.contractor.pricebook.models import Category, Item, JobTemplate, PriceRule, Version
from hestami.core.records import RecordKind

CATEGORY = RecordKind("pricebook_category", Category)
VERSION = RecordKind("pricebook_version", Version)
ITEM = RecordKind("pricebook_item", Item)
RULE = RecordKind("pricebook_rule", PriceRule)
TEMPLATE = RecordKind("pricebook_template", JobTemplate)

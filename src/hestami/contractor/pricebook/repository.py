"""The pricebook's SQL beyond the common record steps."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, func, or_, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from hestami.contractor.pricebook.models import (
    BundleComponent,
    Category,
    Item,
    JobTemplate,
    PriceRule,
    RateSheetEntry,
    TemplateItem,
    TemplateStep,
    Version,
    VersionStatusChange,
)
from hestami.core.repository import hold_lock, insert_rows

# --- categories --------------------------------------------------------------------------------------------------


async def category_parents(session: AsyncSession) -> dict[uuid.UUID, uuid.UUID | None]:
    """Every category of the organization in scope → its parent (the tree, for cycles and ancestries)."""
    rows = await session.execute(select(Category.id, Category.parent_category_id))
    return {row.id: row.parent_category_id for row in rows}


async def category_named(
    session: AsyncSession, parent_id: uuid.UUID | None, name: str, *, other_than: uuid.UUID | None = None
) -> Category | None:
    """The category of that name (any case) in the same parent (or at the top level)."""
    statement = select(Category).where(
        func.lower(Category.name) == name.lower(),
        Category.parent_category_id.is_(None) if parent_id is None else Category.parent_category_id == parent_id,
    )
    if other_than is not None:
        statement = statement.where(Category.id != other_than)
    return (await session.execute(statement.limit(1))).scalar_one_or_none()


async def lock_categories(session: AsyncSession, organization_id: uuid.UUID) -> None:
    """Serializes changes of the organization's category tree (names per parent, no cycles)."""
    await hold_lock(session, f"pricebook_categories:{organization_id}")


# --- versions ----------------------------------------------------------------------------------------------------


async def lock_activation(session: AsyncSession, organization_id: uuid.UUID) -> None:
    """Serializes activations in the organization: the second reads the ACTIVE version the first left."""
    await hold_lock(session, f"pricebook_activation:{organization_id}")


async def lock_version_names(session: AsyncSession, organization_id: uuid.UUID) -> None:
    await hold_lock(session, f"pricebook_version_names:{organization_id}")


async def version_named(session: AsyncSession, name: str) -> Version | None:
    statement = select(Version).where(func.lower(Version.name) == name.lower()).limit(1)
    return (await session.execute(statement)).scalar_one_or_none()


async def active_version(session: AsyncSession, *, lock: bool = False) -> Version | None:
    statement = select(Version).where(Version.status == "ACTIVE")
    if lock:
        statement = statement.with_for_update(key_share=True)
    return (await session.execute(statement)).scalar_one_or_none()


async def share_version(session: AsyncSession, version_id: uuid.UUID) -> str | None:
    """The version's status, its row held (FOR NO KEY UPDATE) until the transaction ends: a publication waits for
    the edit under way, and the edit for a publication under way (then reads PUBLISHED); two edits of one draft take
    turns."""
    statement = select(Version.status).where(Version.id == version_id).with_for_update(key_share=True)
    return (await session.execute(statement)).scalar_one_or_none()


async def status_history(session: AsyncSession, version_id: uuid.UUID) -> list[VersionStatusChange]:
    statement = (
        select(VersionStatusChange)
        .where(VersionStatusChange.version_id == version_id)
        .order_by(VersionStatusChange.created_at, VersionStatusChange.id)
    )
    return list((await session.execute(statement)).scalars())


async def item_count(session: AsyncSession, version_id: uuid.UUID) -> int:
    return int((await session.execute(select(func.count()).where(Item.version_id == version_id))).scalar_one())


COPY_ITEMS = """
INSERT INTO pricebook_items (id, organization_id, version_id, code, name, description, category_id, kind, unit,
    cost, price, taxable)
SELECT uuidv7(), organization_id, :target, code, name, description, category_id, kind, unit, cost, price, taxable
FROM pricebook_items WHERE version_id = :source ORDER BY created_at, id
"""
COPY_COMPONENTS = """
INSERT INTO pricebook_bundle_components (id, organization_id, version_id, bundle_item_id, component_item_id,
    quantity, position)
SELECT uuidv7(), c.organization_id, :target, nb.id, nc.id, c.quantity, c.position
FROM pricebook_bundle_components c
JOIN pricebook_items ob ON ob.id = c.bundle_item_id
JOIN pricebook_items nb ON nb.version_id = :target AND nb.code = ob.code
JOIN pricebook_items oc ON oc.id = c.component_item_id
JOIN pricebook_items nc ON nc.version_id = :target AND nc.code = oc.code
WHERE c.version_id = :source
"""
COPY_TEMPLATES = """
INSERT INTO pricebook_job_templates (id, organization_id, version_id, name, trade, description)
SELECT uuidv7(), organization_id, :target, name, trade, description
FROM pricebook_job_templates WHERE version_id = :source ORDER BY created_at, id
"""
COPY_TEMPLATE_ITEMS = """
INSERT INTO pricebook_template_items (id, organization_id, version_id, template_id, item_id, quantity, position)
SELECT uuidv7(), ti.organization_id, :target, nt.id, ni.id, ti.quantity, ti.position
FROM pricebook_template_items ti
JOIN pricebook_job_templates ot ON ot.id = ti.template_id
JOIN pricebook_job_templates nt ON nt.version_id = :target AND nt.name = ot.name
JOIN pricebook_items oi ON oi.id = ti.item_id
JOIN pricebook_items ni ON ni.version_id = :target AND ni.code = oi.code
WHERE ti.version_id = :source
"""
COPY_STEPS = """
INSERT INTO pricebook_template_steps (id, organization_id, version_id, template_id, position, text, required)
SELECT uuidv7(), s.organization_id, :target, nt.id, s.position, s.text, s.required
FROM pricebook_template_steps s
JOIN pricebook_job_templates ot ON ot.id = s.template_id
JOIN pricebook_job_templates nt ON nt.version_id = :target AND nt.name = ot.name
WHERE s.version_id = :source
"""


async def copy_contents(session: AsyncSession, source_id: uuid.UUID, target_id: uuid.UUID) -> dict[str, int]:
    """Copies a version's items, bundle components and job templates (with their items and steps) into another
    (a new DRAFT), in five statements; items keep their codes and templates their names, which map the references.
    The number of rows of each kind copied."""
    copied = {}
    for what, statement in (
        ("items", COPY_ITEMS), ("bundle_components", COPY_COMPONENTS), ("templates", COPY_TEMPLATES),
        ("template_items", COPY_TEMPLATE_ITEMS), ("template_steps", COPY_STEPS),
    ):  # fmt: skip
        result = await session.execute(text(statement), {"source": source_id, "target": target_id})
        copied[what] = int(result.rowcount)  # type: ignore[attr-defined]
    return copied


# --- items -------------------------------------------------------------------------------------------------------


async def lock_codes(session: AsyncSession, version_id: uuid.UUID) -> None:
    await hold_lock(session, f"pricebook_item_codes:{version_id}")


async def items_by_code(session: AsyncSession, version_id: uuid.UUID, codes: Sequence[str]) -> dict[str, Item]:
    """The version's items with these codes, by code (codes it lacks are absent)."""
    if not codes:
        return {}
    statement = select(Item).where(Item.version_id == version_id, Item.code.in_(set(codes)))
    return {item.code: item for item in (await session.execute(statement)).scalars()}


async def bundle_edges(session: AsyncSession, version_id: uuid.UUID) -> list[tuple[uuid.UUID, uuid.UUID]]:
    """(bundle, component) of every bundle component of the version: the graph a new bundle must not close."""
    statement = select(BundleComponent.bundle_item_id, BundleComponent.component_item_id).where(
        BundleComponent.version_id == version_id
    )
    return [(row[0], row[1]) for row in (await session.execute(statement)).all()]


async def components_of(
    session: AsyncSession, bundle_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[tuple[BundleComponent, Item]]]:
    """Each bundle's components with their items, in order, in one query for a page of items."""
    grouped: dict[uuid.UUID, list[tuple[BundleComponent, Item]]] = {bundle: [] for bundle in bundle_ids}
    if not bundle_ids:
        return grouped
    statement = (
        select(BundleComponent, Item)
        .join(Item, Item.id == BundleComponent.component_item_id)
        .where(BundleComponent.bundle_item_id.in_(set(bundle_ids)))
        .order_by(BundleComponent.bundle_item_id, BundleComponent.position)
    )
    for component, item in (await session.execute(statement)).tuples():
        grouped[component.bundle_item_id].append((component, item))
    return grouped


async def _replace_lines(
    session: AsyncSession,
    model: Any,
    parent: Item | JobTemplate,
    parent_column: str,
    item_column: str,
    lines: Sequence[tuple[uuid.UUID, Decimal]],
) -> None:
    """The parent's (item id, quantity) lines become `lines`, in that order (positions 1, 2, ...), in two
    statements."""
    await session.execute(delete(model).where(getattr(model, parent_column) == parent.id))
    await insert_rows(
        session,
        model,
        {
            item_column: [i for i, _ in lines],
            "quantity": [q for _, q in lines],
            "position": list(range(1, len(lines) + 1)),
        },
        {"organization_id": parent.organization_id, "version_id": parent.version_id, parent_column: parent.id},
        database_ids=True,
    )


async def replace_components(
    session: AsyncSession, item: Item, components: Sequence[tuple[uuid.UUID, Decimal]]
) -> None:
    """The bundle's components become `components` (item id, quantity), in that order."""
    await _replace_lines(session, BundleComponent, item, "bundle_item_id", "component_item_id", components)


async def uses_of(session: AsyncSession, item_id: uuid.UUID) -> tuple[list[str], list[str]]:
    """The codes of the bundles that contain the item and the names of the job templates that list it."""
    bundles = (
        select(Item.code)
        .join(BundleComponent, BundleComponent.bundle_item_id == Item.id)
        .where(BundleComponent.component_item_id == item_id)
    )
    templates = (
        select(JobTemplate.name)
        .join(TemplateItem, TemplateItem.template_id == JobTemplate.id)
        .where(TemplateItem.item_id == item_id)
    )
    return list((await session.execute(bundles)).scalars()), list((await session.execute(templates)).scalars())


async def delete_item(session: AsyncSession, item: Item) -> None:
    await session.delete(item)
    await session.flush()


def search(term: str) -> ColumnElement[bool]:
    """Items whose code, name or description contain `term` (any case; `%` and `_` are taken literally)."""
    pattern = "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return or_(
        Item.code.ilike(pattern, escape="\\"),
        Item.name.ilike(pattern, escape="\\"),
        Item.description.ilike(pattern, escape="\\"),
    )


async def version_items(session: AsyncSession, version_id: uuid.UUID) -> list[Item]:
    return list((await session.execute(select(Item).where(Item.version_id == version_id))).scalars())


# --- job templates -----------------------------------------------------------------------------------------------


async def lock_template_names(session: AsyncSession, version_id: uuid.UUID) -> None:
    await hold_lock(session, f"pricebook_template_names:{version_id}")


async def template_named(
    session: AsyncSession, version_id: uuid.UUID, name: str, *, other_than: uuid.UUID | None = None
) -> JobTemplate | None:
    statement = select(JobTemplate).where(JobTemplate.version_id == version_id, JobTemplate.name == name)
    if other_than is not None:
        statement = statement.where(JobTemplate.id != other_than)
    return (await session.execute(statement.limit(1))).scalar_one_or_none()


async def template_items_of(
    session: AsyncSession, template_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[tuple[TemplateItem, Item]]]:
    grouped: dict[uuid.UUID, list[tuple[TemplateItem, Item]]] = {t: [] for t in template_ids}
    if not template_ids:
        return grouped
    statement = (
        select(TemplateItem, Item)
        .join(Item, Item.id == TemplateItem.item_id)
        .where(TemplateItem.template_id.in_(set(template_ids)))
        .order_by(TemplateItem.template_id, TemplateItem.position)
    )
    for line, item in (await session.execute(statement)).tuples():
        grouped[line.template_id].append((line, item))
    return grouped


async def steps_of(session: AsyncSession, template_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[TemplateStep]]:
    grouped: dict[uuid.UUID, list[TemplateStep]] = {t: [] for t in template_ids}
    if not template_ids:
        return grouped
    statement = (
        select(TemplateStep)
        .where(TemplateStep.template_id.in_(set(template_ids)))
        .order_by(TemplateStep.template_id, TemplateStep.position)
    )
    for step in (await session.execute(statement)).scalars():
        grouped[step.template_id].append(step)
    return grouped


async def replace_template_items(
    session: AsyncSession, template: JobTemplate, lines: Sequence[tuple[uuid.UUID, Decimal]]
) -> None:
    """The template's items become `lines` (item id, quantity), in that order."""
    await _replace_lines(session, TemplateItem, template, "template_id", "item_id", lines)


async def replace_steps(session: AsyncSession, template: JobTemplate, steps: Sequence[tuple[str, bool]]) -> None:
    await session.execute(delete(TemplateStep).where(TemplateStep.template_id == template.id))
    await insert_rows(
        session,
        TemplateStep,
        {
            "position": list(range(1, len(steps) + 1)),
            "text": [t for t, _ in steps],
            "required": [r for _, r in steps],
        },
        {"organization_id": template.organization_id, "version_id": template.version_id, "template_id": template.id},
        database_ids=True,
    )


async def delete_template(session: AsyncSession, template: JobTemplate) -> None:
    """The template, its items and steps (the foreign keys cascade)."""
    await session.delete(template)
    await session.flush()


# --- price rules -------------------------------------------------------------------------------------------------


async def lock_rate_sheets(session: AsyncSession, organization_id: uuid.UUID, association_id: uuid.UUID) -> None:
    await hold_lock(session, f"pricebook_rate_sheet:{organization_id}:{association_id}")


async def active_rate_sheet(session: AsyncSession, association_id: uuid.UUID) -> PriceRule | None:
    statement = select(PriceRule).where(
        PriceRule.kind == "RATE_SHEET", PriceRule.active.is_(True), PriceRule.association_id == association_id
    )
    return (await session.execute(statement.limit(1))).scalar_one_or_none()


async def active_rules(session: AsyncSession, association_id: uuid.UUID | None) -> list[PriceRule]:
    """The active rules a quote may use, oldest first: every percentage rule, and the association's rate sheet."""
    sheet = and_(PriceRule.kind == "RATE_SHEET", PriceRule.association_id == association_id)
    statement = (
        select(PriceRule)
        .where(PriceRule.active.is_(True), or_(PriceRule.kind != "RATE_SHEET", sheet))
        .order_by(PriceRule.created_at, PriceRule.id)
    )
    return list((await session.execute(statement)).scalars())


async def entries_of(session: AsyncSession, rule_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[RateSheetEntry]]:
    grouped: dict[uuid.UUID, list[RateSheetEntry]] = {r: [] for r in rule_ids}
    if not rule_ids:
        return grouped
    statement = (
        select(RateSheetEntry)
        .where(RateSheetEntry.rule_id.in_(set(rule_ids)))
        .order_by(RateSheetEntry.rule_id, RateSheetEntry.item_code)
    )
    for entry in (await session.execute(statement)).scalars():
        grouped[entry.rule_id].append(entry)
    return grouped


async def replace_entries(session: AsyncSession, rule: PriceRule, entries: Sequence[dict[str, Any]]) -> None:
    """The rate sheet's entries become `entries` (each `code`, `price`, `discount_percent`)."""
    await session.execute(delete(RateSheetEntry).where(RateSheetEntry.rule_id == rule.id))
    await insert_rows(
        session,
        RateSheetEntry,
        {
            "item_code": [e["code"] for e in entries],
            "price": [e["price"] for e in entries],
            "discount_percent": [e["discount_percent"] for e in entries],
        },
        {"organization_id": rule.organization_id, "rule_id": rule.id},
        database_ids=True,
    )

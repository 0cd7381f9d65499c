"""The pricebook's procedures: `pricebook/v1/*`.

Only a contractor on the platform (a SERVICE_PROVIDER organization with a contractor profile) has a pricebook:
every procedure answers any other organization BUSINESS_RULE_VIOLATION, reason NOT_A_CONTRACTOR. The contractor's
ADMIN and MANAGER keep it; its DISPATCHER, TECHNICIAN and VENDOR members read it and quote from it (technicians
quote in the field); nobody outside the organization sees any of it (NOT_FOUND, like a random id)."""

from __future__ import annotations

from hestami.contractor.pricebook.schemas import (
    ById,
    CategoryOut,
    CopyVersion,
    CreateCategory,
    CreateItem,
    CreateRule,
    CreateTemplate,
    CreateVersion,
    ItemOut,
    ListCategories,
    ListItems,
    ListRules,
    ListTemplates,
    ListVersions,
    PriceIn,
    QuoteOut,
    RuleOut,
    TemplateOut,
    UpdateCategory,
    UpdateItem,
    UpdateRule,
    UpdateTemplate,
    VersionOut,
)
from hestami.contractor.pricebook.services import categories, items, quotes, rules, templates, versions
from hestami.core.context import RequestContext
from hestami.core.pagination import Page
from hestami.core.rpc.procedure import ProcedureRouter
from hestami.core.schemas import REMOVED, Removed

pricebook = ProcedureRouter("pricebook", tags=("pricebook",))
ROUTERS: list[ProcedureRouter] = [pricebook]


# --- categories --------------------------------------------------------------------------------------------------


@pricebook.mutation("createCategory")
async def create_category(ctx: RequestContext, data: CreateCategory) -> CategoryOut:
    """Add a category to the catalogue (shared by every version): `name`, optional `parent_category_id` (another
    of your categories: NOT_FOUND otherwise) and `sort_order`. A name is unique among the categories of one parent,
    in any case (BUSINESS_RULE_VIOLATION, reason DUPLICATE_NAME). ADMIN or MANAGER."""
    return await categories.create(ctx, data)


@pricebook.query("listCategories")
async def list_categories(ctx: RequestContext, data: ListCategories) -> Page[CategoryOut]:
    """The categories, oldest first (`sort_order` is for display), or only those inside `parent_category_id`."""
    return await categories.list_categories(ctx, data)


@pricebook.mutation("updateCategory")
async def update_category(ctx: RequestContext, data: UpdateCategory) -> CategoryOut:
    """Rename, reorder or move a category: only the fields sent change; `parent_category_id` `null` moves it to the
    top level. Moving it inside itself or one of its subcategories: BUSINESS_RULE_VIOLATION, reason CATEGORY_CYCLE;
    a name its new parent has already: DUPLICATE_NAME. ADMIN or MANAGER."""
    return await categories.update(ctx, data)


# --- versions ----------------------------------------------------------------------------------------------------


@pricebook.mutation("createVersion")
async def create_version(ctx: RequestContext, data: CreateVersion) -> VersionOut:
    """Start an empty DRAFT version (`name`, unique in the organization in any case: DUPLICATE_NAME otherwise; and
    `notes`). Items and job templates are added to a draft; `publishVersion` freezes it. ADMIN or MANAGER."""
    return await versions.create(ctx, data)


@pricebook.mutation("copyVersion")
async def copy_version(ctx: RequestContext, data: CopyVersion) -> VersionOut:
    """A new DRAFT (`name`, `notes`) with everything of the version `id` (any status): its items, bundle components
    and job templates with their items and steps. This is how a published pricebook is changed: copy it, edit the
    copy, publish and activate it. ADMIN or MANAGER."""
    return await versions.copy(ctx, data)


@pricebook.query("listVersions")
async def list_versions(ctx: RequestContext, data: ListVersions) -> Page[VersionOut]:
    """The versions, oldest first, or those of one `status` (DRAFT, PUBLISHED, ACTIVE, RETIRED)."""
    return await versions.list_versions(ctx, data)


@pricebook.query("getVersion")
async def get_version(ctx: RequestContext, data: ById) -> VersionOut:
    """One version with its number of items and its status `history` (every move, by whom, oldest first)."""
    return await versions.get(ctx, data.id)


@pricebook.mutation("publishVersion")
async def publish_version(ctx: RequestContext, data: ById) -> VersionOut:
    """Publish a DRAFT: from now on it never changes. Any create, update or delete of its items, bundle components
    or job templates is BUSINESS_RULE_VIOLATION, reason VERSION_PUBLISHED (and the database refuses such a write
    whatever path makes it). Anything but a DRAFT: INVALID_STATE_TRANSITION. ADMIN or MANAGER."""
    return await versions.publish(ctx, data.id)


@pricebook.mutation("activateVersion")
async def activate_version(ctx: RequestContext, data: ById) -> VersionOut:
    """Make a PUBLISHED (or RETIRED: going back to earlier prices) version the ACTIVE one, the version `price`
    quotes from by default. The version ACTIVE until now becomes RETIRED in the same transaction: exactly one
    version is ACTIVE, even when two activations arrive at once (the second waits for the first, then retires the
    version it activated). A DRAFT or the ACTIVE version itself: INVALID_STATE_TRANSITION. ADMIN or MANAGER."""
    return await versions.activate(ctx, data.id)


# --- items -------------------------------------------------------------------------------------------------------


@pricebook.mutation("createItem")
async def create_item(ctx: RequestContext, data: CreateItem) -> ItemOut:
    """Add an item to a DRAFT version (`version_id`; a published one: VERSION_PUBLISHED): its `code` (unique in the
    version: DUPLICATE_CODE), `name`, `description`, `category_id` (NOT_FOUND unless yours), `kind` (SERVICE,
    LABOR, MATERIAL, EQUIPMENT or BUNDLE), `unit` (EACH, HOUR, FOOT, ...), `cost` and `price` (money, two
    decimals), `taxable`. A BUNDLE lists its `components`: codes of items of the same version (UNKNOWN_ITEM_CODE
    otherwise) with quantities (up to four decimals), never its own code (BUNDLE_CONTAINS_ITSELF). A bundle's
    price is its own `price`. ADMIN or MANAGER."""
    return await items.create(ctx, data)


@pricebook.mutation("updateItem")
async def update_item(ctx: RequestContext, data: UpdateItem) -> ItemOut:
    """Change an item of a DRAFT version (VERSION_PUBLISHED once the version is published): only the fields sent
    change; `null` clears `description` or `category_id`. `components` replaces a bundle's components (checked as
    on create, and a bundle may not contain a bundle that contains it: BUNDLE_CYCLE; components on an item that is
    not a BUNDLE: NOT_A_BUNDLE); an item that stops being a BUNDLE loses its components. ADMIN or MANAGER."""
    return await items.update(ctx, data)


@pricebook.mutation("deleteItem")
async def delete_item(ctx: RequestContext, data: ById) -> Removed:
    """Remove an item from a DRAFT version (VERSION_PUBLISHED otherwise). An item that a bundle or a job template
    lists: BUSINESS_RULE_VIOLATION, reason ITEM_IN_USE, naming them. ADMIN or MANAGER."""
    await items.delete(ctx, data.id)
    return REMOVED


@pricebook.query("listItems")
async def list_items(ctx: RequestContext, data: ListItems) -> Page[ItemOut]:
    """Items, oldest first, filtered by `version_id`, `category_id`, `kind` and `search` (text in the code, name or
    description, any case); bundles with their components."""
    return await items.list_items(ctx, data)


@pricebook.query("getItem")
async def get_item(ctx: RequestContext, data: ById) -> ItemOut:
    """One item; a bundle with its components in order."""
    return await items.get(ctx, data.id)


# --- price rules -------------------------------------------------------------------------------------------------


@pricebook.mutation("createRule")
async def create_rule(ctx: RequestContext, data: CreateRule) -> RuleOut:
    """Add a price rule (rules belong to the organization, not to a version: they name items by code and category,
    which every version keeps). Each `kind` takes its own fields (VALIDATION_FAILED for a missing or a foreign one):
    SEASONAL `percent` off between `starts_on` and `ends_on` (inclusive, dates in `time_zone`; `yearly`: every
    year, possibly across New Year); VOLUME `percent` off when a line's quantity is at least `min_quantity`;
    AFTER_HOURS a `percent` surcharge inside the weekly window `weekdays` (MONDAY … SUNDAY) from
    `window_start` to `window_end` in `time_zone` (a window ending before it starts runs past midnight), or outside
    it with `outside_window` (the window is then the operating hours); MEMBER_DISCOUNT `percent` off for a member;
    RATE_SHEET the prices for one association (`association_id`, linked to you: NOT_FOUND otherwise; one active
    sheet per association: DUPLICATE_RATE_SHEET) as `entries`, each an item `code` with a fixed `price` or a
    `discount_percent`. The percentage kinds may be limited to `item_codes` and to a `category_id` (and its
    subcategories). Percentages are more than 0 and at most 100. ADMIN or MANAGER."""
    return await rules.create(ctx, data)


@pricebook.query("listRules")
async def list_rules(ctx: RequestContext, data: ListRules) -> Page[RuleOut]:
    """Price rules, oldest first, filtered by `kind`, `active` and `association_id`; rate sheets with their
    entries."""
    return await rules.list_rules(ctx, data)


@pricebook.query("getRule")
async def get_rule(ctx: RequestContext, data: ById) -> RuleOut:
    """One price rule (a rate sheet with its entries)."""
    return await rules.get(ctx, data.id)


@pricebook.mutation("updateRule")
async def update_rule(ctx: RequestContext, data: UpdateRule) -> RuleOut:
    """Change an active rule: only the fields sent change, checked as on create for the rule's kind (its kind and a
    rate sheet's association never change); `entries` replaces a rate sheet's entries. A deactivated rule:
    BUSINESS_RULE_VIOLATION, reason RULE_INACTIVE. ADMIN or MANAGER."""
    return await rules.update(ctx, data)


@pricebook.mutation("deactivateRule")
async def deactivate_rule(ctx: RequestContext, data: ById) -> RuleOut:
    """Stop applying a rule (it stays listed, inactive; RULE_INACTIVE if it is already). ADMIN or MANAGER."""
    return await rules.deactivate(ctx, data.id)


# --- job templates -----------------------------------------------------------------------------------------------


@pricebook.mutation("createTemplate")
async def create_template(ctx: RequestContext, data: CreateTemplate) -> TemplateOut:
    """Add a job template to a DRAFT version (VERSION_PUBLISHED otherwise): `name` (unique in the version:
    DUPLICATE_NAME), `trade`, `description`, its `items` (codes of the version: UNKNOWN_ITEM_CODE otherwise, with
    quantities) and its checklist `steps` in order (`text`, `required`). ADMIN or MANAGER."""
    return await templates.create(ctx, data)


@pricebook.query("listTemplates")
async def list_templates(ctx: RequestContext, data: ListTemplates) -> Page[TemplateOut]:
    """Job templates with their items and steps, oldest first, filtered by `version_id` and `trade`."""
    return await templates.list_templates(ctx, data)


@pricebook.query("getTemplate")
async def get_template(ctx: RequestContext, data: ById) -> TemplateOut:
    """One job template with its items and its checklist steps in order."""
    return await templates.get(ctx, data.id)


@pricebook.mutation("updateTemplate")
async def update_template(ctx: RequestContext, data: UpdateTemplate) -> TemplateOut:
    """Change a job template of a DRAFT version (VERSION_PUBLISHED otherwise): only the fields sent change; `items`
    and `steps` replace the template's. ADMIN or MANAGER."""
    return await templates.update(ctx, data)


@pricebook.mutation("deleteTemplate")
async def delete_template(ctx: RequestContext, data: ById) -> Removed:
    """Remove a job template (and its items and steps) from a DRAFT version (VERSION_PUBLISHED otherwise). ADMIN or
    MANAGER."""
    await templates.delete(ctx, data.id)
    return REMOVED


# --- quotes ------------------------------------------------------------------------------------------------------


@pricebook.query("price")
async def price(ctx: RequestContext, data: PriceIn) -> QuoteOut:
    """Price a list of `items` (`code`, `quantity`) from the ACTIVE version (BUSINESS_RULE_VIOLATION, reason
    NO_ACTIVE_VERSION, when there is none) or the version `version_id`, for an optional `association_id` (an
    association linked to you: NOT_FOUND otherwise), at the moment `at` (default now) and for a `member` or not.
    A code the version lacks: UNKNOWN_ITEM_CODE, naming it.

    Each line starts from its item's price and goes through the active rules in this order, at most one rule of
    each kind per line (of several that apply, the largest percentage; on a tie the oldest): 1. the association's
    RATE_SHEET (its fixed price replaces the base price, or its discount comes off it), 2. SEASONAL, 3. VOLUME,
    4. MEMBER_DISCOUNT, 5. the AFTER_HOURS surcharge. Every step's price is rounded to cents ROUND_HALF_UP
    (5.005 → 5.01), and so is each line total (unit price times quantity). Each line lists its `applied_rules` with the
    price before and after each; `subtotal` sums the line totals and `taxable_subtotal` those of taxable items.
    Nothing is stored. Every member of the contractor may quote."""
    return await quotes.price(ctx, data)

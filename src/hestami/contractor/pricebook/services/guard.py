"""Steps every pricebook procedure shares: only a contractor on the platform has a pricebook, and a version's
contents (items, bundle components, job templates) change only while it is a DRAFT."""

from __future__ import annotations

import uuid

from hestami.contractor.pricebook import kinds, lifecycle, repository
from hestami.contractor.pricebook.errors import PricebookReason, rule
from hestami.contractor.pricebook.models import Version
from hestami.contractor.profile import api as profile
from hestami.core import records
from hestami.core.context import RequestContext


async def contractor(ctx: RequestContext) -> None:
    """The caller's organization is a contractor on the platform; else BUSINESS_RULE_VIOLATION, reason
    NOT_A_CONTRACTOR. Every procedure starts here, before it reads any id of its input."""
    await profile.require_contractor(ctx)


async def still_draft(ctx: RequestContext, version_id: uuid.UUID) -> None:
    """BUSINESS_RULE_VIOLATION, reason VERSION_PUBLISHED, unless the version is a DRAFT. Its row stays held FOR
    SHARE until the transaction ends, so it cannot be published while the caller edits it (migration 0036's
    trigger refuses any write to a version that is not a DRAFT too)."""
    status = await repository.share_version(ctx.session, version_id)
    if status is None or not lifecycle.editable(status):
        raise rule(
            PricebookReason.VERSION_PUBLISHED,
            f"This pricebook version is {status}: it never changes. Copy it into a new draft (copyVersion) and edit "
            "that.",
            version_id=str(version_id),
            status=status,
        )


async def draft(ctx: RequestContext, version_id: uuid.UUID) -> Version:
    """A version of the caller's organization that the caller may view (NOT_FOUND otherwise), and a DRAFT
    (`still_draft`)."""
    version = await records.load(ctx, kinds.VERSION, version_id)
    await still_draft(ctx, version.id)
    return version

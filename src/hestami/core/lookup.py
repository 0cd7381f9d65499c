"""Looking up one organization that is not the caller's: the provider an association links, the management
company a contract names, the provider a vendor record pays.

Row-level security shows a caller only its own organization's rows. A reference to another organization is
checked by naming that one organization in the transaction-local `app.lookup_org_id` for the few reads the
check needs; the lookup policies (migration 0011, add_reference_checks) then admit exactly what such a check
reads: the organization's row if it offers services to others (a service provider or a management company) and
its provider profile. Nothing else of that organization becomes visible, and the scope ends with the block (or
the transaction).
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

_SET = text("SELECT set_config('app.lookup_org_id', :value, true)")


@asynccontextmanager
async def lookup_scope(session: AsyncSession, organization_id: uuid.UUID) -> AsyncIterator[None]:
    """Within the block, the transaction may read what the lookup policies admit of `organization_id`.

    Only reads belong in the block. The scope is cleared when the block ends normally; on an error the
    transaction is rolled back, which clears it too."""
    await session.execute(_SET, {"value": str(organization_id)})
    yield
    await session.execute(_SET, {"value": ""})

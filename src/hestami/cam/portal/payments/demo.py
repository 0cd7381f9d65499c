"""The demo records of the owner portal's payments (journey 2, the homeowner): at Sunset Ridge, Olivia Owner
(owner@, unit 14) stores a Visa card (her default) and her household checking account, and puts unit 14 on auto-pay
from the checking account on the first of each month, at most $500.00, from the first of next month. Everything goes
through the portal's services as Olivia, so the payment gateway's records show the calls that made it (two
TOKENIZE, one ENROL_AUTOPAY), and the manager sees her enrolment in `listAutopay`. The records are in
`demo_data.py`; a Sunset Ridge where Olivia already has stored methods is skipped whole, so `hestami dev` can run
this on every start.
"""

from __future__ import annotations

import uuid
from datetime import date

from hestami.cam.association import api as association
from hestami.cam.portal.payments.demo_data import (
    ASSOCIATION,
    AUTOPAY,
    METHODS,
    OWNER,
    SLUG,
    UNIT,
    first_of_next_month,
)
from hestami.cam.portal.payments.schemas import AddMethod, EnrolAutopay, ListMethods
from hestami.cam.portal.payments.services import autopay, methods
from hestami.core.context import RequestContext
from hestami.core.demo import demo_seed
from hestami.core.runtime import Runtime
from hestami.identity.demo import DemoCast


async def _olivias_unit(ctx: RequestContext) -> tuple[uuid.UUID, uuid.UUID] | str:
    """Unit 14 and Olivia's party among its owners, or why the demo cannot have them."""
    found = await association.association_named(ctx, ASSOCIATION)
    if found is None:
        return "the association is missing"
    unit = next((u for u in await association.units_of(ctx, found.id) if u.unit_number == UNIT), None)
    if unit is None:
        return f"unit {UNIT} is missing"
    party = next((c for c in await association.owner_contacts(ctx, unit.id) if c.user_id == ctx.user_id), None)
    if party is None:
        return f"Olivia does not own unit {UNIT}"
    return unit.id, party.party_id


async def _load(cast: DemoCast) -> str:
    today = date.today()
    async with cast.acting(OWNER, SLUG) as ctx:
        found = await _olivias_unit(ctx)
        if isinstance(found, str):
            return f"  skipped: {found}"
        unit_id, party_id = found
        if (await methods.list_methods(ctx, ListMethods(party_id=party_id, limit=1))).items:
            return "  Sunset Ridge: already loaded (Olivia has stored methods)"
        stored = {}
        for spec in METHODS:
            data = AddMethod(
                party_id=party_id, kind=spec.kind, token=spec.checkout, last4=spec.last4, label=spec.label,
                brand=spec.brand, exp_month=spec.exp_month, exp_year=spec.exp_year(today), bank_name=spec.bank_name,
                account_type=spec.account_type, make_default=spec.default,
            )  # fmt: skip
            stored[spec] = await methods.add(ctx, data)
        enrolment = await autopay.enrol(
            ctx,
            EnrolAutopay(
                unit_id=unit_id, payment_method_id=stored[AUTOPAY.method].id, day_of_month=AUTOPAY.day_of_month,
                max_amount=AUTOPAY.max_amount, start_date=first_of_next_month(today),
            ),
        )  # fmt: skip
    return (
        f"  Sunset Ridge: Olivia stored {len(stored)} methods ({', '.join(m.label for m in stored.values())}) and put "
        f"unit {UNIT} on auto-pay from {enrolment.method.label} (next {enrolment.next_charge_on})"
    )


@demo_seed("portal_payments", order=120)
async def seed_portal_payments(runtime: Runtime) -> list[str]:
    cast = await DemoCast.gather(runtime)
    if cast is None:
        return ["demo portal payments: skipped, the demo admin does not exist"]
    if SLUG not in cast.orgs or not await cast.member(OWNER, SLUG):
        return [f"demo portal payments: skipped, {OWNER}@ is not a member of {SLUG}"]
    return ["demo portal payments:", await _load(cast)]

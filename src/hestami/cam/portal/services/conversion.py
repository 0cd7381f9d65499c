"""A request becomes a work order: a manager converts it once; the work order (submitted at once, through the work
orders' own create path) keeps the request's subject, text, place and files, and each names the other.

"Once" holds under concurrency: the request's row is locked before anything is read, so a second conversion waits
for the first and then finds the request converted (ALREADY_CONVERTED, naming the work order), as it would one after
the other; unique indexes on both links are the database's own guard."""

from __future__ import annotations

from hestami.cam.portal import kinds, lifecycle
from hestami.cam.portal.errors import PortalReason, rule
from hestami.cam.portal.models import OwnerRequest
from hestami.cam.portal.schemas import ConvertedOut, ConvertRequest
from hestami.cam.portal.services import files, requests
from hestami.cam.work_order import api as work_order
from hestami.core import records
from hestami.core.context import RequestContext
from hestami.core.errors import check_transition
from hestami.core.uploads import StagedFile

MAX_DESCRIPTION = 5000
CATEGORY_NAMES = {
    "GENERAL_INQUIRY": "general inquiry",
    "MAINTENANCE": "maintenance",
    "BILLING": "billing",
    "NOISE_OR_NUISANCE": "noise or nuisance",
    "COMMON_AREA": "common area",
    "OTHER": "other",
}


def description(request: OwnerRequest, note: str | None) -> str:
    """The owner's words first, then where they come from (and the manager's note), within the work order's limit."""
    source = f"From owner request {request.reference} ({CATEGORY_NAMES.get(request.category, request.category)})."
    tail = f"\n\n{source}" + (f"\n{note}" if note else "")
    room = MAX_DESCRIPTION - len(tail)
    text = request.description if len(request.description) <= room else request.description[: room - 1] + "…"
    return text + tail


async def convert(ctx: RequestContext, data: ConvertRequest) -> ConvertedOut:
    request = await records.find(ctx, kinds.OWNER_REQUEST, data.id, lock=True)
    await records.authorize_record(ctx, kinds.OWNER_REQUEST, request, lifecycle.ACTION_FOR["CONVERTED"])
    if request.work_order_id is not None:
        followed = await work_order.follow(ctx, request.work_order_id)
        raise rule(
            PortalReason.ALREADY_CONVERTED, f"{request.reference} is already work order {followed.number}.",
            work_order_id=str(followed.id), work_order_number=followed.number,
        )  # fmt: skip
    check_transition("owner request", lifecycle.TRANSITIONS, request.status, "CONVERTED")  # before any work order
    staged: list[StagedFile] = []
    try:
        for filed in await files.files_of(ctx, request):
            staged.append(await files.staged_copy(filed))
        new = work_order.NewWorkOrder(
            association_id=request.association_id, title=data.title or request.subject,
            description=description(request, data.note), category=data.category or request.category,
            priority=data.priority, unit_id=request.unit_id, common_area_id=request.common_area_id,
        )  # fmt: skip
        followed = await work_order.create_from_request(ctx, new, owner_request_id=request.id, files=staged)
    finally:
        for copy in staged:
            copy.remove()
    note = f"Work order {followed.number}."
    changes = {"work_order_id": followed.id, "converted_by": ctx.user_id}
    request = await requests.move(ctx, request, "CONVERTED", note, **changes)
    return ConvertedOut(request=requests.request_out(request), work_order=requests.followed_out(followed))

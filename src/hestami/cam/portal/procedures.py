"""The procedures of the owner portal: `portal/profile/v1/*`, `portal/request/v1/*`, `portal/document/v1/*` (the
portal's payments, `portal/payment/v1/*`, are `hestami.cam.portal.payments`)."""

from __future__ import annotations

from hestami.cam.documents.schemas import DocumentsOut, DownloadOut
from hestami.cam.portal.schemas import (
    AddRequestAttachment,
    AddRequestComment,
    ById,
    ByParty,
    CancelRequest,
    ConvertedOut,
    ConvertRequest,
    CreateRequest,
    DownloadPortalDocument,
    DownloadsOut,
    ListDownloads,
    ListPortalDocuments,
    ListRequests,
    PartyProfileOut,
    PreferencesOut,
    ProfileOut,
    RequestAttachmentRef,
    RequestDetailOut,
    RequestsOut,
    UpdatePreferences,
    UpdateProfile,
    UpdateRequestStatus,
)
from hestami.cam.portal.services import conversion, documents, profile, requests
from hestami.core.context import RequestContext
from hestami.core.rpc.procedure import Empty, ProcedureRouter

TAGS = ("portal",)
profile_router = ProcedureRouter("portal/profile", tags=TAGS)
request_router = ProcedureRouter("portal/request", tags=TAGS)
document_router = ProcedureRouter("portal/document", tags=TAGS)
ROUTERS = [profile_router, request_router, document_router]


# --- profile ---------------------------------------------------------------------------------------------------


@profile_router.query("get")
async def get_profile(ctx: RequestContext, data: Empty) -> ProfileOut:
    """The caller's own profile in this organization: their account (name, email), their party records with the
    units each owns or rents today, and each party's contact preferences. Password, sessions and sign-in are
    `auth/v1/*`."""
    return await profile.get(ctx)


@profile_router.mutation("update")
async def update_profile(ctx: RequestContext, data: UpdateProfile) -> PartyProfileOut:
    """Change the name, phone or mailing address of one of the caller's own parties (only the fields sent; a null
    phone removes it). Another party's id is NOT_FOUND, like an id that does not exist: managers change parties
    through `party/v1/update`. The email on file is the managers' to change."""
    return await profile.update(ctx, data)


@profile_router.query("getPreferences")
async def get_preferences(ctx: RequestContext, data: ByParty) -> PreferencesOut:
    """The contact preferences of one of the caller's own parties, which are also the portal's notification
    settings: the channels (email, SMS, mail) and the categories opted out of; the official notices
    (`required_categories`) are sent whatever they say. Never set: every channel, no category opted out. Another
    party's id is NOT_FOUND."""
    return await profile.get_preferences(ctx, data)


@profile_router.mutation("updatePreferences")
async def update_preferences(ctx: RequestContext, data: UpdatePreferences) -> PreferencesOut:
    """Replace the contact preferences of one of the caller's own parties: `email`, `sms`, `mail` and the
    `opted_out_categories` (GENERAL, NEWSLETTER, ANNOUNCEMENT, EVENT, MAINTENANCE). An official notice (DELINQUENCY,
    MEETING, EMERGENCY) cannot be opted out of (BUSINESS_RULE_VIOLATION, reason REQUIRED_CATEGORY); an unknown
    category is VALIDATION_FAILED. The portal's own notices (a request converted or resolved) follow them too: by
    email only when email is on and the category (MAINTENANCE, else GENERAL) is not opted out. Another party's id
    is NOT_FOUND."""
    return await profile.update_preferences(ctx, data)


# --- requests --------------------------------------------------------------------------------------------------


@request_router.mutation("create")
async def create_request(ctx: RequestContext, data: CreateRequest) -> RequestDetailOut:
    """Ask the association something: a `category` (GENERAL_INQUIRY, MAINTENANCE, BILLING, NOISE_OR_NUISANCE,
    COMMON_AREA, OTHER), a `subject` and a `description`, about the caller's own unit (`unit_id`: one they own or
    rent, NOT_YOUR_UNIT otherwise) and/or a common area (`common_area_id`: living in the association is enough,
    NOT_A_RESIDENT otherwise), with up to 5 files (`attachments`, base64, 5 MB each: photos or documents, typed from
    their bytes and virus-scanned like any upload). Managers may file one for any unit, for an owner (`party_id`:
    their account then follows it). Every reference must be of the association (WRONG_ASSOCIATION). Numbered
    REQ-000001 per association without gaps; SUBMITTED; the managers are told."""
    return await requests.create(ctx, data)


@request_router.query("get")
async def get_request(ctx: RequestContext, data: ById) -> RequestDetailOut:
    """One request with its history (every move, comment and file: who, when, what; managers' internal notes for
    managers only), its files and, once converted, the work order it became: number, status, status history and
    files, shown to the owner without any right on work orders. NOT_FOUND unless the caller may see it (its owner,
    the association's board, managers)."""
    return await requests.get(ctx, data.id)


@request_router.query("list")
async def list_requests(ctx: RequestContext, data: ListRequests) -> RequestsOut:
    """The requests the caller may see, oldest first: an owner their own, the board its associations', managers
    all; by association, status, category or unit, or only the caller's own (`mine`)."""
    return await requests.list_(ctx, data)


@request_router.mutation("addComment")
async def add_comment(ctx: RequestContext, data: AddRequestComment) -> RequestDetailOut:
    """Comment on a request (its owner, managers); a manager's comment may be `internal` (the owner does not see
    it). A CLOSED or CANCELLED request takes no comments (NOT_EDITABLE)."""
    return await requests.add_comment(ctx, data)


@request_router.mutation("addAttachment")
async def add_attachment(ctx: RequestContext, data: AddRequestAttachment) -> RequestDetailOut:
    """Add a file (base64, 5 MB) to a request still SUBMITTED or IN_REVIEW (NOT_EDITABLE otherwise), at most 5 per
    request (TOO_MANY_ATTACHMENTS); typed from its bytes and virus-scanned (`document/v1/upload` gives the reasons a
    file is refused)."""
    return await requests.add_attachment(ctx, data)


@request_router.query("downloadAttachment")
async def download_attachment(ctx: RequestContext, data: RequestAttachmentRef) -> DownloadOut:
    """A signed, time-limited link to a file of the request or of the work order it became, for whoever may see the
    request; recorded in the document's access trail."""
    return await requests.download_attachment(ctx, data)


@request_router.mutation("cancel")
async def cancel_request(ctx: RequestContext, data: CancelRequest) -> RequestDetailOut:
    """The owner withdraws their request while it is SUBMITTED or IN_REVIEW (INVALID_STATE_TRANSITION after)."""
    return await requests.cancel(ctx, data)


@request_router.mutation("updateStatus")
async def update_status(ctx: RequestContext, data: UpdateRequestStatus) -> RequestDetailOut:
    """Managers move a request: IN_REVIEW, RESOLVED (with the answer, `note`, which the owner sees and is told of)
    or CLOSED. SUBMITTED → IN_REVIEW → CONVERTED / RESOLVED / CLOSED; CONVERTED → RESOLVED / CLOSED; RESOLVED →
    CLOSED; any other move is INVALID_STATE_TRANSITION with `from`/`to`. Each move is one history row."""
    return await requests.update_status(ctx, data)


@request_router.mutation("convertToWorkOrder")
async def convert_to_work_order(ctx: RequestContext, data: ConvertRequest) -> ConvertedOut:
    """Managers turn a SUBMITTED or IN_REVIEW request into a work order, submitted at once (its SLA clock starts:
    `workOrderLifecycle_v2`), with the request's subject (or `title`), text, unit or common area, and its files as
    the work order's attachments; the request becomes CONVERTED and each names the other (`work_order_id`,
    `owner_request_id`). Once only: a second conversion, even at the same moment, is BUSINESS_RULE_VIOLATION,
    reason ALREADY_CONVERTED, naming the work order. The owner is told, once."""
    return await conversion.convert(ctx, data)


# --- documents -------------------------------------------------------------------------------------------------


@document_router.query("list")
async def list_documents(ctx: RequestContext, data: ListPortalDocuments) -> DocumentsOut:
    """The documents the caller may read, newest first (or best first for a `query`): owners what is visible to
    the owners of their association or unit (CC&Rs, bylaws, rules, budgets, approved minutes, ...), the board
    also what is for the board, managers everything; by association or category."""
    return await documents.list_(ctx, data)


@document_router.query("download")
async def download_document(ctx: RequestContext, data: DownloadPortalDocument) -> DownloadOut:
    """A signed, time-limited link to the current version of a document the caller may read (NOT_FOUND
    otherwise); each link issued and each refused attempt is recorded (who, which document and version, when) and
    listed for managers by `portal/document/v1/downloads`."""
    return await documents.download(ctx, data)


@document_router.query("downloads")
async def list_downloads(ctx: RequestContext, data: ListDownloads) -> DownloadsOut:
    """Managers: who downloaded which document when, across the organization, newest first (refused attempts
    too), by document, person or from a time (FORBIDDEN for everyone else)."""
    return await documents.downloads(ctx, data)

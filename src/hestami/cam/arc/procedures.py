"""Domain 5's procedures: `arc/request/v1/*`, `arc/review/v1/*`, `arc/committee/v1/*`, `arc/settings/v1/*`."""

from __future__ import annotations

from hestami.cam.arc.schemas import (
    AddArcDocument,
    ArcDocumentOut,
    ArcDocumentRef,
    ArcDocumentsOut,
    ArcRequestOut,
    ArcRequestsOut,
    ArcSettingsOut,
    AssignCommittee,
    ById,
    CommitteeMemberIn,
    CommitteeOut,
    CommitteesOut,
    CreateArcRequest,
    CreateCommittee,
    GetArcSettings,
    ListArcRequests,
    ListCommittees,
    ListReviews,
    RecordDecision,
    RecordStart,
    RemoveCommitteeMember,
    ReviewOut,
    ReviewsOut,
    SubmitReview,
    UpdateArcRequest,
    UpdateArcSettings,
    UpdateCommittee,
)
from hestami.cam.arc.services import documents as arc_documents
from hestami.cam.arc.services import requests, reviews, setup
from hestami.cam.documents.schemas import DownloadOut
from hestami.core.context import RequestContext
from hestami.core.rpc.procedure import ProcedureRouter

arc_request = ProcedureRouter("arc/request", tags=("arc",))
arc_review = ProcedureRouter("arc/review", tags=("arc",))
arc_committee = ProcedureRouter("arc/committee", tags=("arc",))
arc_settings = ProcedureRouter("arc/settings", tags=("arc",))


# --- settings and committees -----------------------------------------------------------------------------------


@arc_settings.query("get")
async def get_settings(ctx: RequestContext, data: GetArcSettings) -> ArcSettingsOut:
    """An association's review settings: deemed approval after N days of a complete submission (off while null),
    and how long an approval stays valid before the work must start (180 days by default)."""
    return await setup.get_settings(ctx, data.association_id)


@arc_settings.mutation("update")
async def update_settings(ctx: RequestContext, data: UpdateArcSettings) -> ArcSettingsOut:
    """Change the settings; requests already submitted keep the deadline they were given."""
    return await setup.update_settings(ctx, data)


@arc_committee.mutation("create")
async def create_committee(ctx: RequestContext, data: CreateCommittee) -> CommitteeOut:
    """A review committee of an association: its quorum (reviews needed for a decision) and approval threshold
    (percent of the approve/deny/request-changes votes that must approve)."""
    return await setup.create_committee(ctx, data)


@arc_committee.mutation("update")
async def update_committee(ctx: RequestContext, data: UpdateCommittee) -> CommitteeOut:
    """Rename a committee, change its quorum or threshold, or retire it (`active: false`)."""
    return await setup.update_committee(ctx, data)


@arc_committee.query("get")
async def get_committee(ctx: RequestContext, data: ById) -> CommitteeOut:
    """A committee with its members."""
    return await setup.get_committee(ctx, data.id)


@arc_committee.query("list")
async def list_committees(ctx: RequestContext, data: ListCommittees) -> CommitteesOut:
    """The committees, of one association or all."""
    return await setup.list_committees(ctx, data)


@arc_committee.mutation("addMember")
async def add_member(ctx: RequestContext, data: CommitteeMemberIn) -> CommitteeOut:
    """Seat a member of the organization on the committee (CHAIR or MEMBER)."""
    return await setup.add_member(ctx, data)


@arc_committee.mutation("removeMember")
async def remove_member(ctx: RequestContext, data: RemoveCommitteeMember) -> CommitteeOut:
    """Take a member off the committee (their past reviews stay)."""
    return await setup.remove_member(ctx, data)


# --- requests --------------------------------------------------------------------------------------------------


@arc_request.mutation("create")
async def create(ctx: RequestContext, data: CreateArcRequest) -> ArcRequestOut:
    """Draft a request to change a unit (fence, roof, paint, addition, solar, landscaping, other). Owners ask for
    their own units; managers may file for any unit of the association. Numbered ARC-000001 per organization."""
    return await requests.create(ctx, data)


@arc_request.query("get")
async def get(ctx: RequestContext, data: ById) -> ArcRequestOut:
    """A request with its status history, decision, conditions and the approval's expiry."""
    return await requests.get(ctx, data.id)


@arc_request.query("list")
async def list_requests(ctx: RequestContext, data: ListArcRequests) -> ArcRequestsOut:
    """Requests the caller may see: owners their own units', committee members their committee's, the board and
    managers all."""
    return await requests.list_requests(ctx, data)


@arc_request.mutation("update")
async def update(ctx: RequestContext, data: UpdateArcRequest) -> ArcRequestOut:
    """Edit a draft, or a request whose reviewers asked for changes."""
    return await requests.update(ctx, data)


@arc_request.mutation("submit")
async def submit(ctx: RequestContext, data: ById) -> ArcRequestOut:
    """Submit (or resubmit after changes) for review; needs at least one document. Starts a review round and, where
    the association has deemed approval, its deadline; the first submission starts `arcReviewLifecycle_v1`."""
    return await requests.submit(ctx, data.id)


@arc_request.mutation("withdraw")
async def withdraw(ctx: RequestContext, data: ById) -> ArcRequestOut:
    """Withdraw a request before it is decided."""
    return await requests.withdraw(ctx, data.id)


@arc_request.mutation("recordStart")
async def record_start(ctx: RequestContext, data: RecordStart) -> ArcRequestOut:
    """Report that approved work started (before the approval's expiry), so the approval no longer expires."""
    return await requests.record_start(ctx, data)


# --- documents and reviews (arc/request/v1/addDocument|listDocuments, arc/review/v1/*) -------------------------


@arc_request.mutation("addDocument")
async def add_document(ctx: RequestContext, data: AddArcDocument) -> ArcDocumentOut:
    """File a plan, specification, photo, permit or other document with the request (base64, at most 10 MB), or with
    `document_id` a revised version of one filed earlier, while the request is a draft or changes were requested.
    Plans, specifications and permits are a PDF or images; photos are images. Each is a document of the request
    (`document/v1/getVersions` and `compareVersions` show what changed between submissions) and goes into the
    next review round."""
    return await arc_documents.add_document(ctx, data)


@arc_request.query("listDocuments")
async def list_documents(ctx: RequestContext, data: ById) -> ArcDocumentsOut:
    """Every version of every document filed with the request, with the review round it went into."""
    return await arc_documents.list_documents(ctx, data.id)


@arc_request.query("downloadDocument")
async def download_document(ctx: RequestContext, data: ArcDocumentRef) -> DownloadOut:
    """A signed, time-limited link to a document filed with the request (the latest version unless given), for the
    owner, the committee, the board and managers; recorded in the document's access trail."""
    return await arc_documents.download(ctx, data)


@arc_review.mutation("assignCommittee")
async def assign_committee(ctx: RequestContext, data: AssignCommittee) -> ArcRequestOut:
    """Send a submitted request to an active committee of its association (UNDER_REVIEW; the members are told),
    or reassign one under review to another committee."""
    return await reviews.assign_committee(ctx, data)


@arc_review.mutation("submitReview")
async def submit_review(ctx: RequestContext, data: SubmitReview) -> ReviewOut:
    """A member of the assigned committee votes on the current round: APPROVE, DENY, REQUEST_CHANGES or ABSTAIN.
    Voting again in the same round replaces the member's earlier vote (the audit trail keeps both)."""
    return await reviews.submit_review(ctx, data)


@arc_review.query("listReviews")
async def list_reviews(ctx: RequestContext, data: ListReviews) -> ReviewsOut:
    """The reviews of a round (the current one unless `round` is given)."""
    return await reviews.list_reviews(ctx, data)


@arc_review.mutation("recordDecision")
async def record_decision(ctx: RequestContext, data: RecordDecision) -> ArcRequestOut:
    """Record the committee's decision from the current round's votes: refused without quorum (NO_QUORUM);
    APPROVED (APPROVED_WITH_CONDITIONS with `conditions`; the approval expires unless work starts within the
    association's approval validity) when the approvals reach the committee's threshold of the votes cast
    (abstentions aside), else CHANGES_REQUESTED when more members asked for changes than denied, else DENIED."""
    return await reviews.record_decision(ctx, data)


ROUTERS = [arc_request, arc_review, arc_committee, arc_settings]

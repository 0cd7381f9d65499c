"""Pydantic inputs and outputs of the identity procedures (API.md, "Identity procedures")."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from email_validator import EmailNotValidError, validate_email
from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from hestami.core.pagination import PageRequest
from hestami.core.schemas import Name

OrganizationType = Literal[
    "COMMUNITY_ASSOCIATION",
    "MANAGEMENT_COMPANY",
    "SERVICE_PROVIDER",
    "EXTERNAL_SERVICE_PROVIDER",
    "INDIVIDUAL_CONCIERGE",
    "INDIVIDUAL_PROPERTY_OWNER",
    "TRUST_OR_LLC",
    "COMMERCIAL_CLIENT",
]
Role = Literal[
    "OWNER",
    "TENANT",
    "MANAGER",
    "VENDOR",
    "BOARD_MEMBER",
    "ADMIN",
    "TECHNICIAN",
    "DISPATCHER",
    "CONCIERGE_OPERATOR",
    "INSPECTOR",
]
Slug = Annotated[str, Field(min_length=2, max_length=63, pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]


def _email(value: str) -> str:
    """A syntactically valid address, lower-cased. `.test` domains (RFC 2606) are allowed for demo data."""
    try:
        checked = validate_email(value.strip(), check_deliverability=False, test_environment=True)
    except EmailNotValidError as exc:
        raise ValueError(str(exc)) from None
    return checked.normalized.lower()


Email = Annotated[str, Field(min_length=3, max_length=254), AfterValidator(_email)]


def _not_only_whitespace(password: str) -> str:
    """Kept exactly as typed (never trimmed), but a password of spaces alone is no password."""
    if not password.strip():
        raise ValueError("A password may not be only whitespace.")
    return password


Password = Annotated[str, Field(min_length=1, max_length=256), AfterValidator(_not_only_whitespace)]


def _unique_roles(roles: list[Role]) -> list[Role]:
    return sorted(set(roles))


Roles = Annotated[list[Role], Field(min_length=1, max_length=9), AfterValidator(_unique_roles)]


class Input(BaseModel):
    model_config = ConfigDict(extra="forbid")


class UserOut(BaseModel):
    id: uuid.UUID
    email: str
    name: str
    default_organization_id: uuid.UUID | None
    email_verified_at: datetime | None = Field(
        description="When the owner proved the email (`auth/v1/verifyEmail`); null until then."
    )
    created_at: datetime
    updated_at: datetime


class RegisterIn(Input):
    email: Email
    password: Password
    name: Name


class RegisterOut(BaseModel):
    user: UserOut


class LoginIn(Input):
    email: Email
    password: Password


class MyOrganization(BaseModel):
    id: uuid.UUID
    name: str
    slug: str
    type: str
    roles: list[str]
    is_default: bool


class LoginOut(BaseModel):
    token: str = Field(description="Send as `Authorization: Bearer <token>`.")
    expires_at: datetime
    user: UserOut
    organizations: list[MyOrganization]


class TokenOut(BaseModel):
    token: str
    expires_at: datetime


class MeOut(BaseModel):
    user: UserOut
    organizations: list[MyOrganization]
    pending_invitations: int = Field(
        description="Invitations to this account's email waiting for an answer (`organization/v1/listInvitations`)."
    )


class SessionOut(BaseModel):
    id: str = Field(description="A fingerprint of the session, not its secret.")
    created_at: datetime
    expires_at: datetime
    client_ip: str
    current: bool


class SessionsOut(BaseModel):
    items: list[SessionOut]


class RevokedOut(BaseModel):
    revoked: int


class VerifyEmailIn(Input):
    token: Annotated[
        str,
        Field(
            min_length=20,
            max_length=128,
            pattern=r"^[A-Za-z0-9_-]+$",
            description="The token of the verification message (`account.verify_email`).",
        ),
    ]


class LinkedOrganization(BaseModel):
    id: uuid.UUID
    name: str
    slug: str
    type: str
    roles: list[str] = Field(description="The account's roles there now (empty: linked, but not a member).")
    linked_party_ids: list[uuid.UUID] = Field(description="The parties linked to the account by this verification.")


class EmailVerifiedOut(BaseModel):
    user: UserOut
    organizations: list[LinkedOrganization] = Field(
        description="The organizations whose records of this email were linked to the account or gave it a role."
    )


class VerificationRequestedOut(BaseModel):
    email: str
    already_verified: bool = Field(description="True: the email is proven already and no message was sent.")


class ChangePasswordIn(Input):
    current_password: Password
    new_password: Password


class RevokeSessionIn(Input):
    fingerprint: Annotated[
        str, Field(pattern=r"^[0-9a-f]{16}$", description="A session's `id` as `auth/v1/sessions` lists it.")
    ]


class OrganizationOut(BaseModel):
    id: uuid.UUID
    name: str
    slug: str
    type: str
    created_at: datetime
    updated_at: datetime


class OrganizationEnvelope(BaseModel):
    organization: OrganizationOut


class CreateOrganizationIn(Input):
    name: Name
    type: OrganizationType
    slug: Slug | None = None


class UpdateOrganizationIn(Input):
    name: Name | None = None
    slug: Slug | None = None


class CurrentOrganizationOut(BaseModel):
    organization: OrganizationOut
    roles: list[str]
    is_default: bool


class MyOrganizationsIn(PageRequest):
    pass


class MyOrganizationsOut(BaseModel):
    items: list[MyOrganization]
    next_cursor: str | None


class MemberOut(BaseModel):
    id: uuid.UUID
    organization_id: uuid.UUID
    user_id: uuid.UUID | None
    email: str
    name: str | None
    roles: list[str]
    status: Literal["ACTIVE", "INVITED"]
    created_at: datetime
    updated_at: datetime


class MemberEnvelope(BaseModel):
    member: MemberOut


class AddMemberIn(Input):
    email: Email
    roles: Roles


class SetMemberRolesIn(Input):
    member_id: uuid.UUID
    roles: Roles


class RemoveMemberIn(Input):
    member_id: uuid.UUID


class ListMembersIn(PageRequest):
    pass


class MembersOut(BaseModel):
    items: list[MemberOut]
    next_cursor: str | None


class RemovedOut(BaseModel):
    removed: bool


class InvitingOrganization(BaseModel):
    id: uuid.UUID
    name: str
    slug: str
    type: str


class InvitationOut(BaseModel):
    id: uuid.UUID = Field(description="Answer with `organization/v1/acceptInvitation` or `declineInvitation`.")
    organization: InvitingOrganization
    roles: list[str]
    invited_at: datetime


class ListInvitationsIn(PageRequest):
    pass


class InvitationsOut(BaseModel):
    items: list[InvitationOut]
    next_cursor: str | None


class InvitationIdIn(Input):
    invitation_id: uuid.UUID


class JoinedOut(BaseModel):
    organization: MyOrganization


class DeclinedOut(BaseModel):
    declined: bool

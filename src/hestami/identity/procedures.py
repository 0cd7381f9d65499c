"""`auth/v1/*` and `organization/v1/*` (API.md, "Identity procedures"). Thin: each calls one use case."""

from __future__ import annotations

from hestami.core import runtime
from hestami.core.context import RequestContext
from hestami.core.outbox import RecordingSender
from hestami.core.rpc import Empty, ProcedureRouter
from hestami.identity.port import session_store
from hestami.identity.schemas import (
    AddMemberIn,
    ChangePasswordIn,
    CreateOrganizationIn,
    CurrentOrganizationOut,
    DeclinedOut,
    EmailVerifiedOut,
    InvitationIdIn,
    InvitationsOut,
    JoinedOut,
    ListInvitationsIn,
    ListMembersIn,
    LoginIn,
    LoginOut,
    MemberEnvelope,
    MembersOut,
    MeOut,
    MyOrganizationsIn,
    MyOrganizationsOut,
    OrganizationEnvelope,
    RegisterIn,
    RegisterOut,
    RemovedOut,
    RemoveMemberIn,
    RevokedOut,
    RevokeSessionIn,
    SessionsOut,
    SetMemberRolesIn,
    TokenOut,
    UpdateOrganizationIn,
    VerificationRequestedOut,
    VerifyEmailIn,
)
from hestami.identity.services import accounts, invitations, organizations, security, verification

auth = ProcedureRouter("auth")
organization = ProcedureRouter("organization")
sender = RecordingSender()


def _deps() -> accounts.AuthDeps:
    rt = runtime.current()
    return accounts.AuthDeps(
        sessions=session_store(rt), redis=rt.redis, settings=rt.settings, database=rt.database, sender=sender
    )


@auth.mutation("register", authenticated=False, org_scoped=False, idempotent=False)
async def register(ctx: RequestContext, data: RegisterIn) -> RegisterOut:
    """Create an account. Password: at least 10 characters, not the email.

    A message to the email (`account.verify_email`) carries the token that proves it (`auth/v1/verifyEmail`);
    the parties an association has on file under this email attach to the account only then.
    Invitations to this email do not make the new account a member of anything: they wait for its answer
    (`organization/v1/listInvitations`). The answer is the same whether or not the email already has an account
    (its owner is notified instead), so the API never reveals which emails exist.
    Anonymous, so it takes no Idempotency-Key: registering twice is harmless.
    """
    return await accounts.register(ctx, data, _deps())


@auth.mutation("login", authenticated=False, org_scoped=False, idempotent=False)
async def login(ctx: RequestContext, data: LoginIn) -> LoginOut:
    """Log in with email and password: a bearer token, its expiry, the user and their organizations.

    A wrong password and an unknown email get the same UNAUTHENTICATED answer. Failed logins are limited per
    email from one client address, per client address, and (with a growing pause) per email from every client at
    once; a client that logged in to the account before is exempt from the last, so no stranger can lock the
    owner out (RATE_LIMITED, 429, with Retry-After). No Idempotency-Key: a replayed answer would hand out a
    session token.
    """
    return await accounts.login(ctx, data, _deps())


@auth.mutation("refresh", org_scoped=False, idempotent=False)
async def refresh(ctx: RequestContext, data: Empty) -> TokenOut:
    """Exchange the bearer token for a new one with a fresh idle expiry; the old token stops working.
    The absolute maximum from login does not move."""
    return await accounts.refresh(ctx, _deps())


@auth.mutation("logout", org_scoped=False, idempotent=False)
async def logout(ctx: RequestContext, data: Empty) -> RevokedOut:
    """Revoke this session at once: the token is refused from the next request on."""
    return await accounts.logout(ctx, _deps())


@auth.mutation("logoutEverywhere", org_scoped=False, idempotent=False)
async def logout_everywhere(ctx: RequestContext, data: Empty) -> RevokedOut:
    """Revoke every session of this user, this one included."""
    return await accounts.logout_everywhere(ctx, _deps())


@auth.query("sessions", org_scoped=False)
async def sessions(ctx: RequestContext, data: Empty) -> SessionsOut:
    """This user's live sessions (fingerprints, never the tokens), oldest first."""
    return await accounts.list_sessions(ctx, _deps())


@auth.mutation("revokeSession", org_scoped=False)
async def revoke_session(ctx: RequestContext, data: RevokeSessionIn) -> RevokedOut:
    """Revoke one of the caller's own sessions by its fingerprint (its `id` in `auth/v1/sessions`): its token is
    refused from the next request on. The current session may be revoked too (that is a logout). Any other
    fingerprint, another user's session included, is NOT_FOUND."""
    return await security.revoke_session(ctx, data, _deps())


@auth.mutation("changePassword", org_scoped=False)
async def change_password(ctx: RequestContext, data: ChangePasswordIn) -> RevokedOut:
    """Change the caller's password: the current one, then the new one (the policy of `register`: at least 10
    characters, not the email, not the current password).

    Every other session of the account is revoked at once (this one stays; `revoked` counts the others), the change
    is audited and the owner gets a notice (`account.password_changed`). A wrong current password is
    VALIDATION_FAILED at `/current_password` (reason WRONG_PASSWORD) and counts as a failed login for the account
    from this address, so it is throttled like one (RATE_LIMITED with Retry-After).
    """
    return await security.change_password(ctx, data, _deps())


@auth.mutation("requestEmailVerification", org_scoped=False)
async def request_email_verification(ctx: RequestContext, data: Empty) -> VerificationRequestedOut:
    """Send another message that proves the caller's email (`account.verify_email`, its token valid for 48 hours by
    default, `EMAIL_VERIFICATION_HOURS`); earlier tokens stay valid until they expire or one is used.

    An email proven already gets no message (`already_verified`). At most `EMAIL_VERIFICATION_REQUESTS_PER_HOUR`
    (5) messages an hour per account (RATE_LIMITED with Retry-After past it).
    """
    rt = runtime.current()
    return await verification.request_verification(ctx, rt.redis, rt.settings)


@auth.mutation("verifyEmail", authenticated=False, org_scoped=False, idempotent=False)
async def verify_email(ctx: RequestContext, data: VerifyEmailIn) -> EmailVerifiedOut:
    """Prove an account's email with the token of its verification message; anonymous (the token is the proof).

    A token works once, for 48 hours (`EMAIL_VERIFICATION_HOURS`); BUSINESS_RULE_VIOLATION otherwise, with reason
    TOKEN_INVALID (unknown), TOKEN_EXPIRED or TOKEN_USED. Verifying withdraws the account's other pending tokens and
    links the account (account linking): every party of any organization with this email (in any case), not
    deleted and not linked to another user, is linked to the account (audited `party.linked` in its
    organization), and where such a party owns a unit today the account becomes an OWNER member of that
    organization (TENANT for a party that rents one), or gains the role if it is a member already. The answer lists
    the organizations where anything was linked or granted. No Idempotency-Key: the token is used once.
    """
    return await verification.verify_email(ctx, data)


@auth.query("me", org_scoped=False)
async def me(ctx: RequestContext, data: Empty) -> MeOut:
    """The caller, their organizations with roles, and how many invitations wait for their answer."""
    return await accounts.me(ctx)


@organization.mutation("create", org_scoped=False)
async def create(ctx: RequestContext, data: CreateOrganizationIn) -> OrganizationEnvelope:
    """Create an organization; the caller becomes its ADMIN. No X-Org-Id. Without a slug one is derived
    from the name (with a short suffix if taken); a given slug that is taken is CONFLICT."""
    return await organizations.create(ctx, data)


@organization.query("list", org_scoped=False)
async def list_organizations(ctx: RequestContext, data: MyOrganizationsIn) -> MyOrganizationsOut:
    """The caller's organizations with their roles (keyset pages)."""
    return await organizations.list_mine(ctx, data)


@organization.query("get")
async def get(ctx: RequestContext, data: Empty) -> OrganizationEnvelope:
    """The organization of X-Org-Id."""
    return await organizations.get(ctx)


@organization.query("current")
async def current(ctx: RequestContext, data: Empty) -> CurrentOrganizationOut:
    """The active organization scope: the organization, the caller's roles in it, whether it is the default."""
    return await organizations.current(ctx)


@organization.mutation("update")
async def update(ctx: RequestContext, data: UpdateOrganizationIn) -> OrganizationEnvelope:
    """Rename the organization or change its slug. ADMIN only."""
    return await organizations.update(ctx, data)


@organization.mutation("delete")
async def delete(ctx: RequestContext, data: Empty) -> RemovedOut:
    """Delete the organization (soft: its records and history stay). ADMIN only."""
    return await organizations.delete(ctx)


@organization.mutation("setDefault")
async def set_default(ctx: RequestContext, data: Empty) -> CurrentOrganizationOut:
    """Make X-Org-Id the caller's default organization (marked in login and `organization/v1/list`)."""
    return await organizations.set_default(ctx)


@organization.mutation("addMember")
async def add_member(ctx: RequestContext, data: AddMemberIn) -> MemberEnvelope:
    """Invite a member by email with roles. ADMIN only.

    Always a pending invitation (status INVITED, no user id or name), whether or not the email has an account,
    and an invitation message to the email: the person becomes a member only by accepting it
    (`organization/v1/acceptInvitation`). CONFLICT (ALREADY_MEMBER) for an email that is already a member or
    invited here."""
    return await organizations.add_member(ctx, data, sender)


@organization.query("listInvitations", org_scoped=False)
async def list_invitations(ctx: RequestContext, data: ListInvitationsIn) -> InvitationsOut:
    """The invitations to the caller's email waiting for their answer, with the inviting organization and the
    roles offered, oldest first. No X-Org-Id."""
    return await invitations.list_mine(ctx, data)


@organization.mutation("acceptInvitation", org_scoped=False)
async def accept_invitation(ctx: RequestContext, data: InvitationIdIn) -> JoinedOut:
    """Accept an invitation to the caller's email: the caller becomes a member with the roles it names.
    No X-Org-Id. Anyone else's invitation (or one already answered or withdrawn) is NOT_FOUND."""
    return await invitations.accept(ctx, data)


@organization.mutation("declineInvitation", org_scoped=False)
async def decline_invitation(ctx: RequestContext, data: InvitationIdIn) -> DeclinedOut:
    """Decline an invitation to the caller's email: it is withdrawn (the organization's audit trail keeps that
    it was declined). No X-Org-Id. Anyone else's invitation is NOT_FOUND."""
    return await invitations.decline(ctx, data)


@organization.query("listMembers")
async def list_members(ctx: RequestContext, data: ListMembersIn) -> MembersOut:
    """Members and pending invitations (INVITED, by email only), oldest first. ADMIN, MANAGER or BOARD_MEMBER."""
    return await organizations.list_members(ctx, data)


@organization.mutation("setMemberRoles")
async def set_member_roles(ctx: RequestContext, data: SetMemberRolesIn) -> MemberEnvelope:
    """Replace a member's roles. ADMIN only; the last ADMIN keeps ADMIN."""
    return await organizations.set_member_roles(ctx, data)


@organization.mutation("removeMember")
async def remove_member(ctx: RequestContext, data: RemoveMemberIn) -> RemovedOut:
    """Remove a member or withdraw an invitation. ADMIN only; the last ADMIN stays."""
    return await organizations.remove_member(ctx, data)

"""Notices: the letters of the sequence (courtesy, first, second, hearing, fine), each rendered to a PDF with the
owners' names, the unit, the rule, the cure date or the hearing date and amounts, kept as a document of the
violation, and delivered by every method the association uses, once per recipient.

Exactly once: a violation has at most one notice per step (a unique index), the violation's row is locked while
one is written, and each outbound message carries a dedupe key of violation, step and recipient, so neither a
retried workflow step nor a request racing the workflow can send a letter twice.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from hestami.cam.association import api as association
from hestami.cam.documents import api as documents
from hestami.cam.documents.content.pdfgen import text_pdf
from hestami.cam.documents.content.rules import Category
from hestami.cam.violations import kinds, lifecycle, repository
from hestami.cam.violations.errors import ViolationReason, rule
from hestami.cam.violations.lifecycle import reference
from hestami.cam.violations.models import Notice, Violation
from hestami.cam.violations.schemas import NoticeOut, NoticesOut, SendNotice
from hestami.cam.violations.services.violations import move
from hestami.core import audit, records, runtime
from hestami.core.context import RequestContext
from hestami.core.outbox import OutboundMessage, record_all_once
from hestami.core.uploads import stage_bytes

TITLES = {
    "COURTESY": "Courtesy Notice",
    "FIRST": "First Notice of Violation",
    "SECOND": "Second Notice of Violation",
    "HEARING": "Notice of Hearing",
    "FINE": "Notice of Fine",
}
MAX_LETTER_BYTES = 5 * 1024 * 1024


def day_seconds() -> float:
    return runtime.current().settings.violation_day_seconds


def _date(moment: datetime | None) -> str:
    return moment.strftime("%B %d, %Y at %H:%M UTC") if moment else ""


def letter(
    violation: Violation, step: str, owners: list[str], unit_number: str, *, cure_due_at: datetime | None,
    hearing_at: datetime | None, amount: Decimal | None, now: datetime,
) -> tuple[str, list[str]]:  # fmt: skip
    """The letter's title and paragraphs (a pure function of the case, so the same case reads the same)."""
    terms = violation.settings.get("type", {})
    rule_text = terms.get("rule_reference") or "the association's governing documents"
    body_name = str(violation.settings.get("hearing_body", "BOARD")).lower()
    opening = [
        f"{_date(now)}",
        f"To: {', '.join(owners) or 'The Owner'}, owner(s) of unit {unit_number}.",
        f"Re: {reference(violation.number)}, {terms.get('name', 'violation')} ({rule_text}).",
        f"On {_date(violation.observed_at)} the following was observed: {violation.description}"
        + (f" Location: {violation.location}." if violation.location else ""),
    ]
    body = {
        "COURTESY": [
            "This is a friendly reminder. Please correct the condition by the date below; no fine is charged at this "
            "stage.",
        ],
        "FIRST": ["The condition has not been corrected. This is the first formal notice of the violation."],
        "SECOND": [
            "The condition has still not been corrected. If it is not cured by the date below, the matter will be "
            "set for a hearing, after which a fine may be imposed.",
        ],
        "HEARING": [
            f"A hearing on this violation will be held before the {body_name} on {_date(hearing_at)}. You may "
            "attend, be heard and present evidence, in person or in writing. A fine may be imposed after the hearing.",
        ],
        "FINE": [
            f"After the hearing, a fine of ${amount} was imposed and charged to your account. You may appeal in "
            f"writing within {violation.settings.get('appeal_days')} days.",
        ],
    }[step]
    closing = []
    if cure_due_at is not None:
        closing.append(f"Please cure the violation by {_date(cure_due_at)}.")
    closing.append("Questions: reply to this notice or contact the management office.")
    return TITLES[step], [*opening, *body, *closing]


def _messages(
    violation: Violation,
    step: str,
    methods: list[str],
    contacts: list[association.OwnerContact],
    payload: dict[str, Any],
) -> list[OutboundMessage]:
    """One message per recipient and method: email to each owner with an address, mail to each owner (their
    mailing address, else the unit), posted on the unit once, the portal for owners with an account."""
    found: dict[tuple[str, str], object] = {}
    for contact in contacts:
        if "EMAIL" in methods and contact.email:
            found[("EMAIL", contact.email)] = contact.user_id
        if "MAIL" in methods:
            found[("MAIL", f"{contact.name} | {contact.mailing_address or 'the unit'}")] = contact.user_id
        if "PORTAL" in methods and contact.user_id:
            found[("PORTAL", f"user:{contact.user_id}")] = contact.user_id
    if "POSTED" in methods:
        found[("POSTED", f"unit:{violation.unit_id}")] = None
    return [
        OutboundMessage(
            organization_id=violation.organization_id, channel=channel, recipient=recipient,
            recipient_user_id=user_id, template=f"violation.notice.{step.lower()}", payload=payload,
            entity_type="violation", entity_id=violation.id,
            dedupe_key=f"violation:{violation.id}:notice:{step}:{channel}:{recipient}",
        )
        for (channel, recipient), user_id in sorted(found.items())
    ]  # fmt: skip


async def send(
    ctx: RequestContext, violation: Violation, step: str, *, methods: list[str] | None = None,
    hearing_at: datetime | None = None, amount: Decimal | None = None,
) -> Notice:  # fmt: skip
    """Sends the step's notice for a violation whose row the caller holds locked; refuses a second one."""
    if await repository.notice_for(ctx.session, violation.id, step) is not None:
        raise rule(ViolationReason.NOTICE_ALREADY_SENT, f"The {step} notice of this violation was already sent.")
    now = datetime.now(UTC)
    days = lifecycle.cure_days(step, violation.settings, violation.settings.get("type", {}).get("default_cure_days"))
    cure_due_at = lifecycle.after_days(now, days, day_seconds()) if days else None
    contacts = await association.owner_contacts(ctx, violation.unit_id)
    unit = await association.find_unit(ctx, violation.unit_id)
    methods = methods or list(violation.settings.get("delivery_methods") or ["MAIL"])
    title, paragraphs = letter(
        violation, step, [c.name for c in contacts], unit.unit_number, cure_due_at=cure_due_at,
        hearing_at=hearing_at, amount=amount, now=now,
    )  # fmt: skip
    name = f"{reference(violation.number)}-{step.lower()}-notice.pdf"
    staged = await stage_bytes(text_pdf(title, paragraphs), name, max_bytes=MAX_LETTER_BYTES)
    try:
        filed = await documents.attach_file(
            ctx, organization_id=violation.organization_id, association_id=violation.association_id,
            scope_type="VIOLATION", scope_id=violation.id, staged=staged, category=Category.NOTICE,
            title=f"{reference(violation.number)} {title}", text="\n".join([title, *paragraphs]),
        )  # fmt: skip
    finally:
        staged.remove()
    notice = Notice(
        organization_id=violation.organization_id, violation_id=violation.id, step=step, delivery_methods=methods,
        cure_due_at=cure_due_at, hearing_at=hearing_at, amount=amount, document_id=filed.id,
        recipients=[c.name for c in contacts], sent_by=ctx.user_id, sent_at=now,
    )  # fmt: skip
    ctx.session.add(notice)
    await ctx.session.flush()
    payload = {
        "violation": reference(violation.number), "step": step, "title": title, "unit": unit.unit_number,
        "cure_due_at": cure_due_at.isoformat() if cure_due_at else None,
        "hearing_at": hearing_at.isoformat() if hearing_at else None,
        "amount": str(amount) if amount is not None else None, "document_id": str(filed.id),
    }  # fmt: skip
    await record_all_once(ctx.session, _messages(violation, step, methods, contacts, payload))
    audit.record(ctx, "violation.notice_sent", kinds.VIOLATION.name, violation.id, after={"step": step, **payload})
    if step in lifecycle.STATUS_AFTER:
        await move(ctx, violation, lifecycle.STATUS_AFTER[step], f"{title} sent.", cure_due_at=cure_due_at)
    return notice


def next_step(violation: Violation) -> str:
    step = lifecycle.NEXT_STEP.get(violation.status)
    if step is None:
        raise rule(ViolationReason.NO_NEXT_NOTICE, f"No notice follows in status {violation.status}.")
    return step


async def send_notice(ctx: RequestContext, data: SendNotice) -> NoticeOut:
    """A manager sends the next letter of the sequence now (or the one named), without waiting for the cure date.
    The hearing notice goes out with `scheduleHearing`, the fine notice with the hearing's outcome."""
    violation = await records.load(ctx, kinds.VIOLATION, data.id, "send_notice", lock=True)
    step = data.step or next_step(violation)
    if step in ("HEARING", "FINE"):
        raise rule(
            ViolationReason.NO_NEXT_NOTICE,
            "The hearing notice goes out when the hearing is scheduled, the fine notice with the fine.",
            step=step,
        )
    if step != lifecycle.NEXT_STEP.get(violation.status):
        raise rule(
            ViolationReason.NO_NEXT_NOTICE, f"The next notice in status {violation.status} is not {step}.", step=step
        )
    methods: list[str] | None = list(data.delivery_methods) if data.delivery_methods else None
    return notice_out(await send(ctx, violation, step, methods=methods))


def notice_out(notice: Notice) -> NoticeOut:
    return records.output(NoticeOut, notice)


async def list_notices(ctx: RequestContext, violation_id: object) -> NoticesOut:
    violation = await records.load(ctx, kinds.VIOLATION, violation_id)  # type: ignore[arg-type]
    return NoticesOut(items=[notice_out(n) for n in await repository.notices(ctx.session, violation.id)])

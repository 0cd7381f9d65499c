"""Demo records of communications: the templates every demo organization gets, and what each demo association
sent (a late notice to the units 30+ days behind, a newsletter to every owner) or has in draft."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class TemplateSpec:
    name: str
    channel: str
    category: str
    subject: str | None
    body: str
    custom: tuple[str, ...] = ()
    description: str | None = None


TEMPLATES = (
    TemplateSpec(
        "Late notice (email)",
        "EMAIL",
        "DELINQUENCY",
        "Past due balance on {{ unit_numbers }}",
        "Dear {{ recipient_name }},\n\nOur records show a balance of ${{ balance }} on unit {{ unit_numbers }} at "
        "{{ association_name }}, {{ days_past_due }} days past due as of {{ today }}. Please pay it through the "
        "owner portal or contact the management office to arrange a payment plan. Late fees apply under the "
        "association's collection policy.\n\nThe Board of Directors",
        description="The first reminder to owners 30 days or more behind.",
    ),
    TemplateSpec(
        "Late notice (letter)",
        "LETTER",
        "DELINQUENCY",
        "Notice of past due assessments",
        "{{ today }}\n\n{{ recipient_name }}\nRe: unit {{ unit_numbers }}, {{ association_name }}\n\nYour account "
        "is {{ days_past_due }} days past due with a balance of ${{ balance }}. If it is not paid within 30 days of "
        "this letter, the association may refer it to collection as its governing documents and state law allow. "
        "You may request a payment plan in writing.\n\nSincerely,\nThe Board of Directors",
        description="The certified letter after 60 days.",
    ),
    TemplateSpec(
        "Meeting notice",
        "EMAIL",
        "MEETING",
        "Notice of {{ meeting_title }}",
        "Dear {{ recipient_name }},\n\nThe {{ meeting_title }} of {{ association_name }} will be held on "
        "{{ meeting_date }} at {{ meeting_place }}. The agenda is in the owner portal. Owners may attend in person, "
        "by proxy or electronically.",
        custom=("meeting_date", "meeting_place", "meeting_title"),
    ),
    TemplateSpec(
        "Community newsletter",
        "EMAIL",
        "NEWSLETTER",
        "{{ association_name }}: {{ headline }}",
        "Hello {{ recipient_name }},\n\n{{ headline }}\n\n{{ story }}\n\nSee the calendar in the owner portal for "
        "upcoming events.",
        custom=("headline", "story"),
    ),
    TemplateSpec(
        "Emergency alert (text)",
        "SMS",
        "EMERGENCY",
        None,
        "{{ association_name }}: {{ message }} Reply STOP for non-emergency texts only.",
        custom=("message",),
    ),
)


@dataclass(frozen=True)
class MassSpec:
    template: str
    title: str
    audience: dict[str, object]
    values: dict[str, str] = field(default_factory=dict)
    send: bool = True


SENT = (
    MassSpec("Late notice (email)", "Late notice: 30+ days past due", {"kind": "DELINQUENT", "min_days_past_due": 30}),
    MassSpec(
        "Community newsletter",
        "Community newsletter",
        {"kind": "ALL_OWNERS"},
        {
            "headline": "Pool season opens Memorial Day weekend",
            "story": "The pool deck has been resurfaced and the new furniture arrives next week. Pool passes are "
            "at the clubhouse office.",
        },
    ),
    MassSpec(
        "Meeting notice",
        "Annual meeting notice (draft)",
        {"kind": "ALL_OWNERS"},
        {
            "meeting_title": "Annual Meeting of the Members",
            "meeting_date": "the second Tuesday of next month, 7 pm",
            "meeting_place": "the clubhouse",
        },
        send=False,
    ),
)

ORGANIZATIONS = {
    "sunset-ridge-hoa": ("Sunset Ridge Homeowners Association",),
    "summit-property-management": ("Willow Creek Homeowners Association", "Harbor View Condominium Association"),
}

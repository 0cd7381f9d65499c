"""The demo's architectural review as data: for each demo association its review committee (the demo logins who
sit on it), its ARC settings, and its owners' requests, each on a unit of the association demo
(`cam/association/demo_data.py`) with its plans and taken to the status it shows through the committee's reviews
and decisions. `demo.py` writes them through the services."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

Target = Literal[
    "DRAFT", "SUBMITTED", "UNDER_REVIEW", "CHANGES_REQUESTED", "APPROVED", "APPROVED_WITH_CONDITIONS", "DENIED",
    "WITHDRAWN", "DEEMED",
]  # fmt: skip
"""Where a request is left: DRAFT is created with its plans; WITHDRAWN is submitted, then withdrawn; SUBMITTED
waits for a committee; the others are assigned to the committee, and its members review them round by round
(`Ask.rounds`). DEEMED is submitted where the association has deemed approval after one day and left to
`arcReviewLifecycle_v1`, which approves it (`deemed: true`) when that day has passed without a decision."""

COMMITTEE_NAME = "Architectural Review Committee"
QUORUM = 2
THRESHOLD = Decimal("50.01")


@dataclass(frozen=True)
class Plan:
    """A document filed with the request: a PDF whose text is `lines`; `revised`, when given, is the text of the
    version filed for the next round after the committee asked for changes."""

    kind: Literal["PLAN", "SPECIFICATION", "PHOTO", "PERMIT", "OTHER"]
    file_name: str
    title: str
    lines: tuple[str, ...]
    revised: tuple[str, ...] = ()


@dataclass(frozen=True)
class Round:
    """One review round: each member's vote (login, APPROVE / DENY / REQUEST_CHANGES / ABSTAIN, comment), then the
    decision recorded with `reasons` (and `conditions`); no reasons leaves the round open (UNDER_REVIEW)."""

    votes: tuple[tuple[str, str, str], ...]
    reasons: str = ""
    conditions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Ask:
    unit: str
    by: str
    """The demo login who asks (an owner of the unit), or "keeper": the manager filing for an owner without a
    login."""
    category: Literal["FENCE", "ROOF", "PAINT", "ADDITION", "SOLAR", "LANDSCAPING", "OTHER"]
    title: str
    description: str
    target: Target
    plans: tuple[Plan, ...] = ()
    rounds: tuple[Round, ...] = ()
    estimated_cost: Decimal | None = None
    contractor: str | None = None
    starts_in_days: int | None = None
    """The planned start, days from the seeding; the work is planned to take `takes_days`."""
    takes_days: int = 7
    note: str = ""
    """Why it was withdrawn."""


@dataclass(frozen=True)
class Program:
    slug: str
    """The organization (as in the association demo)."""
    name: str
    """The association's name (as in the association demo)."""
    short: str
    members: tuple[tuple[str, str], ...]
    """The demo logins seated on the committee, with their role (CHAIR or MEMBER); a login that is not a member of
    the organization is left out."""
    settings: dict[str, object]
    """`UpdateArcSettings` fields; empty keeps the defaults (no deemed approval, approvals valid 180 days)."""
    asks: tuple[Ask, ...]


FENCE_ROUND_1 = Round(
    votes=(
        ("board", "REQUEST_CHANGES", "The drawing does not show the gate or the height along the side lot line."),
        ("manager", "REQUEST_CHANGES", "Please add the gate and the post spacing to the drawing."),
    ),
    reasons="Resubmit with the gate, the height along each lot line and the post spacing on the drawing.",
)
FENCE_ROUND_2 = Round(
    votes=(
        ("board", "APPROVE", "Matches the Sunset Ridge fence standard."),
        ("manager", "APPROVE", "Complete now."),
    ),
    reasons="Approved: the fence follows the Sunset Ridge fence standard (CC&R 9.4).",
    conditions=(
        "Cedar pickets stained Sunset Ridge Natural (or the approved brown); the finished side faces out.",
        "No higher than 6 ft, stepping down to 4 ft within 20 ft of the street.",
        "Call 811 before digging; keep the work to 8 a.m.-6 p.m., Monday to Saturday.",
    ),
)

SUNSET = Program(
    slug="sunset-ridge-hoa",
    name="Sunset Ridge Homeowners Association",
    short="Sunset Ridge HOA",
    members=(("board", "CHAIR"), ("manager", "MEMBER")),
    settings={"deemed_approval_days": 45},
    asks=(
        # Journey 2 step 4: Olivia Owner's fence replacement, changes requested once, then approved with conditions.
        Ask(
            "14",
            "owner",
            "FENCE",
            "Back fence replacement",
            "Replace the 20-year-old back and side fence with a 6 ft cedar privacy fence on steel posts, same line.",
            "APPROVED_WITH_CONDITIONS",
            plans=(
                Plan(
                    "PLAN",
                    "fence-drawing.pdf",
                    "Fence replacement drawing - Unit 14, Sunset Ridge",
                    (
                        "Back and side fence, 142 linear ft, on the existing line.",
                        "6 ft cedar pickets, dog-ear top, on galvanized steel posts.",
                    ),
                    revised=(
                        "Back and side fence, 142 linear ft, on the existing line.",
                        "6 ft cedar pickets, dog-ear top, on galvanized steel posts set 8 ft apart in concrete.",
                        "4 ft walk gate on the east side; steps down to 4 ft within 20 ft of the street.",
                    ),
                ),
            ),
            rounds=(FENCE_ROUND_1, FENCE_ROUND_2),
            estimated_cost=Decimal("6400.00"),
            contractor="Lone Star Fence Co.",
            starts_in_days=21,
            takes_days=3,
        ),
        Ask(
            "3",
            "board",
            "SOLAR",
            "Rooftop solar panels",
            "Sixteen black-frame panels on the south and west roof faces, not visible from Sunset Ridge Dr.",
            "DRAFT",
            plans=(Plan("SPECIFICATION", "solar-spec.pdf", "Solar array specification", ("16 x 400 W panels.",)),),
            estimated_cost=Decimal("18900.00"),
            contractor="Hill Country Solar",
        ),
        Ask(
            "5",
            "keeper",
            "PAINT",
            "Exterior repaint",
            "Repaint the body in Agreeable Gray and the trim in Pure White (both on the approved palette).",
            "SUBMITTED",
            plans=(Plan("SPECIFICATION", "color-swatches.pdf", "Color swatches", ("Body SW 7029, trim SW 7005.",)),),
            estimated_cost=Decimal("7200.00"),
            starts_in_days=30,
            takes_days=5,
        ),
        Ask(
            "8",
            "keeper",
            "ROOF",
            "Roof replacement after hail",
            "Replace the hail-damaged roof with architectural shingles in Weathered Wood.",
            "UNDER_REVIEW",
            plans=(Plan("SPECIFICATION", "roof-spec.pdf", "Roofing specification", ("Class 4 impact shingles.",)),),
            rounds=(Round(votes=(("board", "APPROVE", "Same color family as the neighbors."),)),),
            estimated_cost=Decimal("14800.00"),
            contractor="Alamo Roofing",
            starts_in_days=14,
            takes_days=2,
        ),
        Ask(
            "12",
            "keeper",
            "FENCE",
            "Front fence (after the fact)",
            "Approval for the front fence built last spring (see the violation of the same unit).",
            "CHANGES_REQUESTED",
            plans=(Plan("PLAN", "front-fence.pdf", "Front fence as built", ("Wrought iron, 5 ft.",)),),
            rounds=(
                Round(
                    votes=(
                        ("board", "REQUEST_CHANGES", "Front fences may be at most 4 ft (CC&R 9.4)."),
                        ("manager", "REQUEST_CHANGES", "Show how it will be lowered to 4 ft."),
                    ),
                    reasons="Front-yard fences may be at most 4 ft: resubmit with the fence lowered to 4 ft.",
                ),
            ),
        ),
        Ask(
            "19",
            "keeper",
            "LANDSCAPING",
            "Artificial turf front yard",
            "Replace the front lawn with artificial turf and a gravel border.",
            "DENIED",
            plans=(Plan("PLAN", "turf-plan.pdf", "Front yard plan", ("1,100 sq ft of turf.",)),),
            rounds=(
                Round(
                    votes=(
                        ("board", "DENY", "CC&R 7.3 requires living ground cover in front yards."),
                        ("manager", "DENY", "Xeriscape with native plants would qualify."),
                    ),
                    reasons="Denied: front yards need living ground cover (CC&R 7.3); a native xeriscape qualifies.",
                ),
            ),
        ),
        Ask(
            "21",
            "keeper",
            "OTHER",
            "Backyard storage shed",
            "An 8 x 10 ft shed in the back corner, painted to match the house.",
            "WITHDRAWN",
            plans=(Plan("PLAN", "shed-site-plan.pdf", "Shed site plan", ("5 ft from both lot lines.",)),),
            note="Withdrawn by the owner: the shed will not fit the easement; a smaller one will be asked for.",
        ),
    ),
)

WILLOW = Program(
    slug="summit-property-management",
    name="Willow Creek Homeowners Association",
    short="Willow Creek HOA",
    members=(("manager", "CHAIR"), ("admin", "MEMBER")),
    settings={},
    asks=(
        Ask(
            "6",
            "keeper",
            "ROOF",
            "Roof replacement, same color",
            "Replace the roof with the same Charcoal Black shingles.",
            "APPROVED",
            plans=(Plan("SPECIFICATION", "roof-spec.pdf", "Roofing specification", ("Charcoal Black shingles.",)),),
            rounds=(
                Round(
                    votes=(("manager", "APPROVE", "Like for like."), ("admin", "APPROVE", "")),
                    reasons="Approved: a like-for-like replacement.",
                ),
            ),
            estimated_cost=Decimal("12500.00"),
            starts_in_days=10,
            takes_days=2,
        ),
        Ask(
            "30",
            "keeper",
            "PAINT",
            "Exterior repaint to the approved palette",
            "Repaint the house from the unapproved color to Willow Creek palette color 4 (see the violation).",
            "UNDER_REVIEW",
            plans=(Plan("SPECIFICATION", "palette-4.pdf", "Palette color 4", ("Body Repose Gray.",)),),
            rounds=(Round(votes=(("manager", "APPROVE", "Brings the house back to the palette."),)),),
        ),
    ),
)

HARBOR = Program(
    slug="summit-property-management",
    name="Harbor View Condominium Association",
    short="Harbor View COA",
    members=(("manager", "CHAIR"), ("admin", "MEMBER")),
    settings={"deemed_approval_days": 1, "approval_valid_days": 90},
    asks=(
        Ask(
            "204",
            "keeper",
            "OTHER",
            "Balcony flooring",
            "Porcelain pavers on pedestals over the balcony membrane, color Sand.",
            "DEEMED",
            plans=(Plan("SPECIFICATION", "pavers.pdf", "Paver specification", ("Pedestal system, no drilling.",)),),
            estimated_cost=Decimal("3100.00"),
            starts_in_days=14,
            takes_days=2,
        ),
        Ask(
            "305",
            "keeper",
            "ADDITION",
            "Balcony enclosure",
            "Enclose the balcony with glass panels.",
            "DENIED",
            plans=(Plan("PLAN", "enclosure.pdf", "Balcony enclosure", ("Frameless glass panels.",)),),
            rounds=(
                Round(
                    votes=(
                        ("manager", "DENY", "Balconies are limited common elements; the facade may not change."),
                        ("admin", "DENY", ""),
                    ),
                    reasons="Denied: the declaration does not allow enclosing balconies (limited common elements).",
                ),
            ),
        ),
    ),
)

PROGRAMS = (SUNSET, WILLOW, HARBOR)

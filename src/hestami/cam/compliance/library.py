"""The platform's requirement library: the obligations an association of a state usually has, as data.

These are DEFAULTS to start from, not legal advice: each must be checked against the current statute and the
association's governing documents (declaration, bylaws) before an association relies on it. Rules that vary by
state are settings: a jurisdiction is one entry of `LIBRARY`, and an association adopts a copy (its requirements)
that its managers then adjust (`compliance/requirement/v1/update`), never the library itself.

Every template's dates count from the association's fiscal-year start (the anchor): `offset_months` and
`offset_days` move the first due date from it (a negative offset is before the year begins: the budget), and the
recurrence rule (RFC 5545, read by `rules`) repeats that date, yearly or every few years. An obligation that is
not a date but a turnaround (a resale certificate within days of each request) is kept as a NOTICE with a yearly
review of how the association meets it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta

YEARLY = "FREQ=YEARLY"
EVERY_FIVE_YEARS = "FREQ=YEARLY;INTERVAL=5"


@dataclass(frozen=True)
class Template:
    code: str
    title: str
    kind: str
    reference: str
    description: str
    rrule: str
    lead_days: int
    responsible_role: str = "MANAGER"
    offset_months: int = 0
    offset_days: int = 0

    def anchor(self, fiscal_year_start: date) -> date:
        """The first due date: the fiscal-year start moved by the offset (never Feb 29, which a yearly rule
        would skip three years in four)."""
        day = fiscal_year_start + relativedelta(months=self.offset_months, days=self.offset_days)
        return day - relativedelta(days=1) if (day.month, day.day) == (2, 29) else day


TX: tuple[Template, ...] = (
    Template(
        "TX_ANNUAL_MEETING", "Annual meeting of the members", "VOTING",
        "Tex. Prop. Code § 209.014; bylaws",
        "Hold the members' annual meeting (with the board election where the bylaws call for one).",
        YEARLY, 75, offset_months=3,
    ),
    Template(
        "TX_ELECTION_NOTICE", "Notice of the election or association vote", "NOTICE",
        "Tex. Prop. Code § 209.0056",
        "Give written notice of the election or vote not later than the 10th day and not earlier than the 60th "
        "day before it.",
        YEARLY, 50, offset_months=3, offset_days=-10,
    ),
    Template(
        "TX_BOARD_CANDIDATE_NOTICE", "Call for board candidates", "NOTICE",
        "Tex. Prop. Code § 209.00593",
        "Tell the members how to place their names on the ballot (at least 10 days before the candidate "
        "deadline, itself set by the bylaws).",
        YEARLY, 30, offset_months=2,
    ),
    Template(
        "TX_BUDGET_ADOPTION", "Adopt the budget for the next fiscal year", "STATUTORY_DEADLINE",
        "Tex. Prop. Code § 209.0051 (open board meeting); bylaws",
        "The board adopts the next year's budget in an open meeting before the fiscal year begins.",
        YEARLY, 60, "BOARD_MEMBER", offset_months=-1,
    ),
    Template(
        "TX_BUDGET_DISTRIBUTION", "Send the adopted budget to the owners", "NOTICE",
        "Bylaws; Tex. Prop. Code § 209.005 (records open to owners)",
        "Distribute the adopted budget and the new assessment amount before the fiscal year begins.",
        YEARLY, 30, offset_days=-15,
    ),
    Template(
        "TX_ANNUAL_FINANCIAL_REVIEW", "Annual financial review or audit", "FINANCIAL_AUDIT",
        "Bylaws; Tex. Prop. Code § 209.005",
        "Have the prior fiscal year's books reviewed or audited as the governing documents require, and keep the "
        "report with the association's records.",
        YEARLY, 60, offset_days=119,
    ),
    Template(
        "TX_INSURANCE_RENEWAL", "Insurance renewal (property, liability, D&O, fidelity)", "INSURANCE",
        "Declaration",
        "Renew the association's policies with the coverage the declaration requires; check the limits first.",
        YEARLY, 60,
    ),
    Template(
        "TX_RESERVE_STUDY", "Reserve study update", "RESERVE_STUDY",
        "Declaration; good practice (condominiums: Tex. Prop. Code ch. 82)",
        "Update the reserve study (every five years, before the budget that uses it).",
        EVERY_FIVE_YEARS, 120, offset_months=-4,
    ),
    Template(
        "TX_MANAGEMENT_CERTIFICATE", "Management certificate on file and current", "STATUTORY_DEADLINE",
        "Tex. Prop. Code § 209.004",
        "Record a management certificate in each county where the property lies, and an amended one within 30 "
        "days after its information changes (the managing agent, the mailing address); confirm yearly.",
        YEARLY, 30, offset_months=1,
    ),
    Template(
        "TX_DEDICATORY_INSTRUMENTS", "Dedicatory instruments recorded", "STATUTORY_DEADLINE",
        "Tex. Prop. Code § 202.006",
        "Every dedicatory instrument (rules, policies, amendments) must be filed in the county real property "
        "records to be enforceable; confirm what the board adopted this year was filed.",
        YEARLY, 30, offset_months=11,
    ),
    Template(
        "TX_RECORDS_RETENTION_REVIEW", "Records retention review", "STATUTORY_DEADLINE",
        "Tex. Prop. Code § 209.005(m)",
        "Apply the adopted records retention policy (e.g. financial books 7 years, minutes permanently, account "
        "records 5 years, contracts 4 years after they end) and review the records production policy.",
        YEARLY, 30, offset_months=2,
    ),
    Template(
        "TX_RESALE_CERTIFICATE", "Resale certificate turnaround", "NOTICE",
        "Tex. Prop. Code § 207.003",
        "Each resale certificate is due within 10 business days after the written request: review the request "
        "process, the fee schedule and the certificate form yearly.",
        YEARLY, 14, offset_months=1,
    ),
)  # fmt: skip

FL: tuple[Template, ...] = (
    Template(
        "FL_ANNUAL_MEETING", "Annual meeting of the members", "VOTING",
        "Fla. Stat. § 720.306(2)",
        "Hold the members' annual meeting (with the board election, § 720.306(9)).",
        YEARLY, 75, offset_months=3,
    ),
    Template(
        "FL_MEETING_NOTICE", "Notice of the annual meeting", "NOTICE",
        "Fla. Stat. § 720.306(5)",
        "Mail, deliver or electronically send notice of the annual meeting at least 14 days before it, and post "
        "it in a conspicuous place in the community.",
        YEARLY, 30, offset_months=3, offset_days=-14,
    ),
    Template(
        "FL_ELECTION_CANDIDATES", "Board election: call for candidates", "VOTING",
        "Fla. Stat. § 720.306(9)",
        "Run the election the bylaws provide for (candidates, ballots, an impartial count).",
        YEARLY, 45, offset_months=2,
    ),
    Template(
        "FL_DIRECTOR_CERTIFICATION", "New directors' certification and education", "STATUTORY_DEADLINE",
        "Fla. Stat. § 720.3033(1)",
        "Within 90 days after election or appointment each new director certifies having read the governing "
        "documents (or completes the education course); keep the certificates with the official records.",
        YEARLY, 45, "BOARD_MEMBER", offset_months=3, offset_days=90,
    ),
    Template(
        "FL_BUDGET_ADOPTION", "Adopt the annual budget", "STATUTORY_DEADLINE",
        "Fla. Stat. § 720.303(6)",
        "The board adopts the next year's budget (each item of expense, reserves if any) before the fiscal year.",
        YEARLY, 60, "BOARD_MEMBER", offset_months=-1,
    ),
    Template(
        "FL_BUDGET_DISTRIBUTION", "Budget to the members", "NOTICE",
        "Fla. Stat. § 720.303(6)",
        "Provide each member the adopted annual budget (or notice that it is available on request at no charge).",
        YEARLY, 30, offset_days=-15,
    ),
    Template(
        "FL_FINANCIAL_REPORT", "Annual financial report", "FINANCIAL_AUDIT",
        "Fla. Stat. § 720.303(7)",
        "Within 90 days after the fiscal year ends, prepare (or contract for) the financial report its revenue "
        "calls for: cash receipts and expenditures, compiled, reviewed or audited statements.",
        YEARLY, 60, offset_days=89,
    ),
    Template(
        "FL_FINANCIAL_REPORT_DISTRIBUTION", "Financial report to the members", "NOTICE",
        "Fla. Stat. § 720.303(7)",
        "Within 21 days after the final report is received, and no later than 120 days after the fiscal year "
        "ends, provide the members a copy or notice that it is available.",
        YEARLY, 30, offset_days=119,
    ),
    Template(
        "FL_INSURANCE_RENEWAL", "Insurance renewal (property, liability, D&O, fidelity)", "INSURANCE",
        "Declaration; Fla. Stat. § 720.3033(5) (fidelity bonding)",
        "Renew the association's policies and the fidelity coverage of those who control its funds.",
        YEARLY, 60,
    ),
    Template(
        "FL_RESERVE_STUDY", "Reserve study update", "RESERVE_STUDY",
        "Fla. Stat. § 720.303(6)(d); declaration",
        "Update the reserve study (every five years, before the budget that uses it) where reserves are kept.",
        EVERY_FIVE_YEARS, 120, offset_months=-4,
    ),
    Template(
        "FL_RECORDS_RETENTION_REVIEW", "Official records retention review", "STATUTORY_DEADLINE",
        "Fla. Stat. § 720.303(4)",
        "Official records are kept at least 7 years (some permanently) and made available within 10 business "
        "days of a member's request; review what may be disposed of and the website or app posting.",
        YEARLY, 30, offset_months=2,
    ),
    Template(
        "FL_ESTOPPEL_CERTIFICATE", "Estoppel certificate turnaround", "NOTICE",
        "Fla. Stat. § 720.30851",
        "Each estoppel certificate is due within 10 business days after the request, at the statutory fee caps "
        "(adjusted every five years): review the process and the fee schedule yearly.",
        YEARLY, 14, offset_months=1,
    ),
)  # fmt: skip

LIBRARY: dict[str, tuple[Template, ...]] = {"TX": TX, "FL": FL}
"""Jurisdiction (a state code) → its templates."""


def templates(jurisdiction: str) -> tuple[Template, ...] | None:
    """The jurisdiction's templates (None: the library has no such jurisdiction)."""
    return LIBRARY.get(jurisdiction.strip().upper())

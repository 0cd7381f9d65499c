"""Matching's pure rules, without a database: which linked providers match a work order (category, service area,
documents on the day, the association's requirements, approval) and in which order (preferred, rating, review count,
name); and a request's timers.

A provider's documents are the contractor pillar's: matching reads them as `ProviderFacts` (its compliance issues,
current coverages, whether it holds a current licence), built here by hand; `candidate` joins them to the
association's link and requirements."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from hestami.cam.work_order.directory import ComplianceIssue, Coverage, ProviderFacts, Requirements
from hestami.cam.work_order.models import AssociationProvider
from hestami.cam.work_order.services.assignment_turns import timers
from hestami.cam.work_order.services.matching import (
    Candidate,
    Exclusion,
    candidate,
    document_reasons,
    exclusions,
    match,
    rank_key,
)
from hestami.contractor.profile import rules
from hestami.contractor.profile.rules import Document

DAY = date(2026, 11, 29)
GOOD = date(2030, 1, 1)
MILLION = Decimal("1000000.00")
GENERAL_LIABILITY = Coverage("GENERAL_LIABILITY", MILLION, 2 * MILLION, GOOD)


def issue(code: str, document: str, expired: date | None = None) -> ComplianceIssue:
    said = f"The {document.lower()} expired on {expired.isoformat()}." if expired else f"No current {document}."
    return ComplianceIssue(code, said, document, expired)


def facts(
    *issues: ComplianceIssue,
    trades: tuple[str, ...] = ("PLUMBING",),
    zips: tuple[str, ...] = ("78750",),
    coverages: tuple[Coverage, ...] = (GENERAL_LIABILITY,),
    licensed: bool = True,
) -> ProviderFacts:
    """A provider's profile as the directory answers it on DAY (compliant unless `issues` say otherwise)."""
    return ProviderFacts(
        organization_id=uuid.uuid4(), name="Anchor", external=False, trades=trades, service_zip_codes=zips,
        service_radius_miles=None, description=None, on=DAY, issues=issues, coverages=coverages, licensed=licensed,
    )  # fmt: skip


CURRENT = facts()


def link(name: str, **fields: object) -> AssociationProvider:
    base: dict[str, object] = {
        "provider_organization_id": uuid.uuid4(),
        "provider_name": name,
        "approval_status": "APPROVED",
        "preferred": False,
        "rating": None,
        "review_count": 0,
    }
    return AssociationProvider(**(base | fields))


def provider(
    name: str = "Anchor",
    on_file: ProviderFacts | None = CURRENT,
    required: Requirements = Requirements(),
    **link_fields: object,
) -> Candidate:
    """The candidate matching reads of a link and its provider's profile (None: no profile)."""
    return candidate(link(name, **link_fields), on_file, required)


def codes(candidate: Candidate, category: str = "PLUMBING", zips: tuple[str, ...] = ("78750",)) -> list[Exclusion]:
    return [r.code for r in exclusions(candidate, category, zips, DAY)]


def test_a_current_approved_plumber_in_the_area_matches() -> None:
    assert codes(provider()) == []


def test_the_category_is_compared_without_case_or_spaces() -> None:
    assert codes(provider(on_file=facts(trades=(" plumbing ",))), "Plumbing") == []
    assert codes(provider(on_file=facts(trades=("ELECTRICAL", "HVAC"))), "PLUMBING") == [Exclusion.CATEGORY_NOT_OFFERED]
    assert codes(provider(on_file=facts(trades=()))) == [Exclusion.CATEGORY_NOT_OFFERED]


def test_the_job_site_must_be_in_the_service_area() -> None:
    assert codes(provider(on_file=facts(zips=("73301",)))) == [Exclusion.OUT_OF_SERVICE_AREA]
    assert codes(provider(on_file=facts(zips=()))) == [Exclusion.OUT_OF_SERVICE_AREA]
    assert codes(provider(), zips=("78750-1234",)) == [], "ZIP+4 is its five-digit ZIP"
    assert codes(provider(), zips=("78759", "78750")) == [], "one of the association's sites"
    reasons = exclusions(provider(), "PLUMBING", (), DAY)
    assert [r.code for r in reasons] == [Exclusion.OUT_OF_SERVICE_AREA], "no postal code on file: nobody is in area"
    assert "No postal code" in reasons[0].message


def test_expired_documents_exclude_and_say_when() -> None:
    lapsed = date(2025, 6, 30)
    insurance = exclusions(
        provider(on_file=facts(issue("INSURANCE_EXPIRED", "GENERAL_LIABILITY", lapsed), coverages=())),
        "PLUMBING", ("78750",), DAY,
    )  # fmt: skip
    assert [r.code for r in insurance] == [Exclusion.INSURANCE_EXPIRED]
    assert "2025-06-30" in insurance[0].message
    licence = facts(issue("LICENSE_EXPIRED", "LICENSE", lapsed), licensed=False)
    assert codes(provider(on_file=licence)) == [Exclusion.LICENSE_EXPIRED], "expired says why none is current"
    comp = facts(issue("WORKERS_COMP_EXPIRED", "WORKERS_COMPENSATION", lapsed))
    assert codes(provider(on_file=comp)) == [Exclusion.WORKERS_COMP_EXPIRED]


def on_the_day(*documents: Document, on: date = DAY) -> ProviderFacts:
    """The facts the contractor pillar's directory reads from these documents on `on` (`rules`)."""
    return facts(
        *rules.issues(documents, on), coverages=rules.coverages(documents, on), licensed=rules.licensed(documents, on)
    )


def document(kind: str, expires: date) -> Document:
    group = "PLUMBING|TX" if kind == "LICENSE" else ""
    limit = None if kind == "LICENSE" else MILLION
    return Document(uuid.uuid4(), kind, group, kind.lower(), expires, None, limit, limit)


def test_a_document_expiring_on_the_day_still_holds_that_day() -> None:
    kinds = ("LICENSE", "GENERAL_LIABILITY", "WORKERS_COMPENSATION")
    assert codes(provider(on_file=on_the_day(*(document(kind, DAY) for kind in kinds)))) == []
    day_before = DAY - timedelta(days=1)
    lapsed = on_the_day(document("LICENSE", DAY), document("GENERAL_LIABILITY", day_before))
    assert codes(provider(on_file=lapsed)) == [Exclusion.INSURANCE_EXPIRED]


def test_licence_and_insurance_must_be_on_file_workers_comp_need_not() -> None:
    assert codes(provider(on_file=facts(licensed=False))) == [Exclusion.LICENSE_MISSING]
    no_insurance = facts(issue("INSURANCE_MISSING", "GENERAL_LIABILITY"), coverages=())
    assert codes(provider(on_file=no_insurance)) == [Exclusion.INSURANCE_MISSING]
    assert codes(provider(on_file=facts(coverages=(GENERAL_LIABILITY,)))) == [], "no workers' compensation on file"


def test_the_associations_minimum_coverage_excludes_a_provider_below_it() -> None:
    required = Requirements(min_general_liability_per_occurrence=2 * MILLION)
    below = exclusions(provider(required=required), "PLUMBING", ("78750",), DAY)
    assert [r.code for r in below] == [Exclusion.INSURANCE_BELOW_MINIMUM]
    assert "2,000,000.00" in below[0].message
    assert "1,000,000.00" in below[0].message
    raised = Coverage("GENERAL_LIABILITY", 2 * MILLION, 4 * MILLION, GOOD)
    assert codes(provider(on_file=facts(coverages=(GENERAL_LIABILITY, raised)), required=required)) == []
    assert codes(provider(required=Requirements())) == [], "no requirements: no minimum"
    lapsed = facts(issue("INSURANCE_EXPIRED", "GENERAL_LIABILITY", date(2025, 6, 30)), coverages=())
    assert codes(provider(on_file=lapsed, required=required)) == [Exclusion.INSURANCE_EXPIRED], "not also below"


def test_the_associations_licence_and_workers_comp_requirements() -> None:
    required = Requirements(require_license=True, require_workers_compensation=True)
    unlicensed = provider(on_file=facts(licensed=False), required=required)
    assert codes(unlicensed) == [Exclusion.INSURANCE_MISSING, Exclusion.LICENSE_MISSING], "a missing licence once"
    comp = Coverage("WORKERS_COMPENSATION", None, None, GOOD)
    assert codes(provider(on_file=facts(coverages=(GENERAL_LIABILITY, comp)), required=required)) == []


def test_document_reasons_keep_the_issues_order_and_add_a_missing_licence() -> None:
    lapsed = date(2025, 1, 31)
    found = document_reasons(
        facts(licensed=False),
        [issue("INSURANCE_EXPIRED", "GENERAL_LIABILITY", lapsed), issue("WORKERS_COMP_EXPIRED", "COMP", lapsed)],
    )
    assert [r.code for r in found] == [
        Exclusion.LICENSE_MISSING, Exclusion.INSURANCE_EXPIRED, Exclusion.WORKERS_COMP_EXPIRED
    ]  # fmt: skip
    assert found[0].message == "No current licence on file."
    assert document_reasons(CURRENT, []) == ()


def test_only_an_approved_link_matches() -> None:
    assert codes(provider(approval_status="PENDING")) == [Exclusion.NOT_APPROVED]
    assert codes(provider(approval_status="SUSPENDED")) == [Exclusion.NOT_APPROVED]


def test_a_provider_without_a_profile_matches_nothing() -> None:
    assert codes(provider(on_file=None)) == [Exclusion.NO_PROFILE]
    assert codes(provider(on_file=None, approval_status="PENDING")) == [Exclusion.NOT_APPROVED, Exclusion.NO_PROFILE]
    assert provider(on_file=None).has_profile is False


def test_every_reason_is_given() -> None:
    lapsed = date(2020, 1, 1)
    everything = provider(
        on_file=facts(
            issue("INSURANCE_EXPIRED", "GENERAL_LIABILITY", lapsed), issue("WORKERS_COMP_EXPIRED", "COMP", lapsed),
            trades=("ROOFING",), zips=("10001",), coverages=(), licensed=False,
        ),
        required=Requirements(min_auto_per_occurrence=MILLION),
        approval_status="SUSPENDED",
    )  # fmt: skip
    assert codes(everything) == [
        Exclusion.NOT_APPROVED,
        Exclusion.CATEGORY_NOT_OFFERED,
        Exclusion.OUT_OF_SERVICE_AREA,
        Exclusion.LICENSE_MISSING,
        Exclusion.INSURANCE_EXPIRED,
        Exclusion.WORKERS_COMP_EXPIRED,
        Exclusion.INSURANCE_BELOW_MINIMUM,
    ]


def test_ranking_preferred_then_rating_then_reviews_then_name() -> None:
    expired = facts(issue("INSURANCE_EXPIRED", "GENERAL_LIABILITY", date(2020, 1, 1)), coverages=())
    candidates = [
        provider("Zed Rated", rating=Decimal("4.90"), review_count=3),
        provider("No Rating", rating=None, review_count=500),
        provider("Well Reviewed", rating=Decimal("4.50"), review_count=120),
        provider("Less Reviewed", rating=Decimal("4.50"), review_count=8),
        provider("beta Twin", rating=Decimal("4.50"), review_count=8),
        provider("Preferred Low", preferred=True, rating=Decimal("2.00")),
        provider("Preferred High", preferred=True, rating=Decimal("4.00")),
        provider("Expired", expired, rating=Decimal("5.00")),
    ]
    found = match(candidates, "PLUMBING", ["78750"], DAY)
    assert [c.provider_name for c in found.matches] == [
        "Preferred High",
        "Preferred Low",
        "Zed Rated",
        "Well Reviewed",
        "beta Twin",  # ties by name, without case
        "Less Reviewed",
        "No Rating",  # no rating: last
    ]
    assert [e.candidate.provider_name for e in found.excluded] == ["Expired"]
    assert found.postal_codes == ("78750",)
    assert sorted(candidates[:2], key=rank_key)[0].provider_name == "Zed Rated"


def test_a_request_is_reminded_at_half_its_deadline() -> None:
    now = datetime(2026, 11, 29, 12, tzinfo=UTC)
    assert timers(now, 48, 3600.0) == (now + timedelta(hours=24), now + timedelta(hours=48))
    assert timers(now, 3, 2.0) == (now + timedelta(seconds=3), now + timedelta(seconds=6))

"""Matching's pure rules, without a database: which linked providers match a work order (category, service area,
documents on the day, approval) and in which order (preferred, rating, review count, name); and a request's timers."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from hestami.cam.work_order.services.assignment_turns import timers
from hestami.cam.work_order.services.matching import Candidate, Exclusion, exclusions, match, rank_key

DAY = date(2026, 11, 29)
GOOD = date(2030, 1, 1)


def provider(name: str = "Anchor", **fields: object) -> Candidate:
    base: dict[str, object] = {
        "provider_organization_id": uuid.uuid4(),
        "provider_name": name,
        "approval_status": "APPROVED",
        "preferred": False,
        "rating": None,
        "review_count": 0,
        "categories": ("PLUMBING",),
        "service_zip_codes": ("78750",),
        "license_expires_on": GOOD,
        "insurance_expires_on": GOOD,
    }
    return Candidate(**(base | fields))  # type: ignore[arg-type]


def codes(candidate: Candidate, category: str = "PLUMBING", zips: tuple[str, ...] = ("78750",)) -> list[Exclusion]:
    return [r.code for r in exclusions(candidate, category, zips, DAY)]


def test_a_current_approved_plumber_in_the_area_matches() -> None:
    assert codes(provider()) == []


def test_the_category_is_compared_without_case_or_spaces() -> None:
    assert codes(provider(categories=(" plumbing ",)), "Plumbing") == []
    assert codes(provider(categories=("ELECTRICAL", "HVAC")), "PLUMBING") == [Exclusion.CATEGORY_NOT_OFFERED]
    assert codes(provider(categories=())) == [Exclusion.CATEGORY_NOT_OFFERED]


def test_the_job_site_must_be_in_the_service_area() -> None:
    assert codes(provider(service_zip_codes=("73301",))) == [Exclusion.OUT_OF_SERVICE_AREA]
    assert codes(provider(service_zip_codes=())) == [Exclusion.OUT_OF_SERVICE_AREA]
    assert codes(provider(), zips=("78750-1234",)) == [], "ZIP+4 is its five-digit ZIP"
    assert codes(provider(), zips=("78759", "78750")) == [], "one of the association's sites"
    reasons = exclusions(provider(), "PLUMBING", (), DAY)
    assert [r.code for r in reasons] == [Exclusion.OUT_OF_SERVICE_AREA], "no postal code on file: nobody is in area"
    assert "No postal code" in reasons[0].message


def test_expired_documents_exclude_and_say_when() -> None:
    lapsed = date(2025, 6, 30)
    insurance = exclusions(provider(insurance_expires_on=lapsed), "PLUMBING", ("78750",), DAY)
    assert [r.code for r in insurance] == [Exclusion.INSURANCE_EXPIRED]
    assert "2025-06-30" in insurance[0].message
    assert codes(provider(license_expires_on=lapsed)) == [Exclusion.LICENSE_EXPIRED]
    assert codes(provider(workers_comp_expires_on=lapsed)) == [Exclusion.WORKERS_COMP_EXPIRED]


def test_a_document_expiring_on_the_day_still_holds_that_day() -> None:
    assert codes(provider(license_expires_on=DAY, insurance_expires_on=DAY, workers_comp_expires_on=DAY)) == []
    day_after = DAY - timedelta(days=1)
    assert codes(provider(insurance_expires_on=day_after)) == [Exclusion.INSURANCE_EXPIRED]


def test_licence_and_insurance_must_be_on_file_workers_comp_need_not() -> None:
    assert codes(provider(license_expires_on=None)) == [Exclusion.LICENSE_MISSING]
    assert codes(provider(insurance_expires_on=None)) == [Exclusion.INSURANCE_MISSING]
    assert codes(provider(workers_comp_expires_on=None)) == []


def test_only_an_approved_link_matches() -> None:
    assert codes(provider(approval_status="PENDING")) == [Exclusion.NOT_APPROVED]
    assert codes(provider(approval_status="SUSPENDED")) == [Exclusion.NOT_APPROVED]


def test_a_provider_without_a_profile_matches_nothing() -> None:
    assert codes(provider(has_profile=False)) == [Exclusion.NO_PROFILE]
    assert codes(provider(has_profile=False, approval_status="PENDING")) == [
        Exclusion.NOT_APPROVED,
        Exclusion.NO_PROFILE,
    ]


def test_every_reason_is_given() -> None:
    everything = provider(
        approval_status="SUSPENDED", categories=("ROOFING",), service_zip_codes=("10001",),
        license_expires_on=None, insurance_expires_on=date(2020, 1, 1), workers_comp_expires_on=date(2020, 1, 1),
    )  # fmt: skip
    assert codes(everything) == [
        Exclusion.NOT_APPROVED,
        Exclusion.CATEGORY_NOT_OFFERED,
        Exclusion.OUT_OF_SERVICE_AREA,
        Exclusion.LICENSE_MISSING,
        Exclusion.INSURANCE_EXPIRED,
        Exclusion.WORKERS_COMP_EXPIRED,
    ]


def test_ranking_preferred_then_rating_then_reviews_then_name() -> None:
    candidates = [
        provider("Zed Rated", rating=Decimal("4.90"), review_count=3),
        provider("No Rating", rating=None, review_count=500),
        provider("Well Reviewed", rating=Decimal("4.50"), review_count=120),
        provider("Less Reviewed", rating=Decimal("4.50"), review_count=8),
        provider("beta Twin", rating=Decimal("4.50"), review_count=8),
        provider("Preferred Low", preferred=True, rating=Decimal("2.00")),
        provider("Preferred High", preferred=True, rating=Decimal("4.00")),
        provider("Expired", rating=Decimal("5.00"), insurance_expires_on=date(2020, 1, 1)),
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

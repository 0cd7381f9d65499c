"""The compliance rules, without a database: what holds on a day, what is wrong, which notice is due."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal

from hestami.cam.work_order.api import ProviderFacts
from hestami.cam.work_order.directory import Requirements, all_issues, association_issues
from hestami.contractor.profile import rules
from hestami.contractor.profile.rules import Document

DAY = date(2026, 11, 29)


def doc(kind: str = "GENERAL_LIABILITY", expires: date = DAY, *, group: str = "", effective: date | None = None,
        limit: str | None = "1000000.00") -> Document:  # fmt: skip
    amount = Decimal(limit) if limit else None
    return Document(uuid.uuid4(), kind, group, kind.lower(), expires, effective, amount, amount)


def codes(documents: list[Document], on: date = DAY) -> list[str]:
    return [i.code for i in rules.issues(documents, on)]


def test_a_document_holds_through_its_expiry_day_and_not_the_next() -> None:
    assert codes([doc(expires=DAY)]) == []
    assert codes([doc(expires=DAY - timedelta(days=1))]) == ["INSURANCE_EXPIRED"]


def test_general_liability_is_required_and_the_others_only_once_on_file() -> None:
    assert codes([]) == ["INSURANCE_MISSING"]
    assert codes([doc("AUTO", DAY + timedelta(days=9))]) == ["INSURANCE_MISSING"]
    lapsed_comp = doc("WORKERS_COMPENSATION", DAY - timedelta(days=3))
    assert codes([doc(expires=DAY + timedelta(days=90)), lapsed_comp]) == ["WORKERS_COMP_EXPIRED"]
    lapsed_licence = doc("LICENSE", DAY - timedelta(days=1), group="PLUMBING|TX")
    assert codes([doc(expires=DAY + timedelta(days=90)), lapsed_licence]) == ["LICENSE_EXPIRED"]


def test_a_renewal_replaces_the_lapsed_document_of_its_group() -> None:
    old = doc(expires=DAY - timedelta(days=30))
    renewed = doc(expires=DAY + timedelta(days=335))
    assert codes([old, renewed]) == []
    tx = doc("LICENSE", DAY - timedelta(days=1), group="PLUMBING|TX")
    other_state = doc("LICENSE", DAY + timedelta(days=100), group="PLUMBING|OK")
    assert codes([doc(expires=DAY + timedelta(days=90)), tx, other_state]) == ["LICENSE_EXPIRED"]


def test_a_policy_not_in_effect_yet_does_not_count_and_is_not_expired() -> None:
    future = doc(expires=DAY + timedelta(days=400), effective=DAY + timedelta(days=1))
    assert codes([future]) == ["INSURANCE_MISSING"]
    assert codes([future], DAY + timedelta(days=1)) == []


def test_the_expired_issue_names_the_latest_expiry() -> None:
    older, newer = doc(expires=date(2026, 1, 1)), doc(expires=date(2026, 6, 1))
    (issue,) = rules.issues([older, newer], DAY)
    assert issue.expires_on == date(2026, 6, 1)
    assert issue.document == "GENERAL_LIABILITY"


def test_notices_go_30_14_and_1_days_before_and_never_late_ones() -> None:
    expires = DAY + timedelta(days=40)
    due = {n: rules.notice_due(expires, expires - timedelta(days=n)) for n in (40, 31, 30, 20, 15, 14, 2, 1, 0)}
    assert due == {40: None, 31: None, 30: 30, 20: 30, 15: 30, 14: 14, 2: 14, 1: 1, 0: 1}
    assert rules.notice_due(expires, expires + timedelta(days=1)) is None


def test_expiring_lists_current_documents_within_30_days_soonest_first() -> None:
    soon, later, far = doc(expires=DAY + timedelta(days=3)), doc("AUTO", DAY + timedelta(days=30)), doc(
        "UMBRELLA", DAY + timedelta(days=31))  # fmt: skip
    assert [d.kind for d in rules.expiring([far, later, soon], DAY)] == ["GENERAL_LIABILITY", "AUTO"]


def facts(*documents: Document, licensed: bool = True) -> ProviderFacts:
    return ProviderFacts(
        organization_id=uuid.uuid4(), name="Ace", external=False, trades=("PLUMBING",), service_zip_codes=(),
        service_radius_miles=None, description=None, on=DAY, issues=tuple(rules.issues(documents, DAY)),
        coverages=rules.coverages(documents, DAY), licensed=licensed,
    )  # fmt: skip


def test_association_minimums_read_the_best_current_policy_of_each_kind() -> None:
    small, big = doc(limit="1000000.00", expires=DAY + timedelta(days=9)), doc(limit="2000000.00", expires=DAY)
    required = Requirements(min_general_liability_per_occurrence=Decimal("2000000.00"))
    assert association_issues(facts(small, big), required) == []
    (issue,) = association_issues(facts(small), required)
    assert (issue.code, issue.document) == ("INSURANCE_BELOW_MINIMUM", "GENERAL_LIABILITY")
    lapsed_big = doc(limit="5000000.00", expires=DAY - timedelta(days=1))
    assert [i.code for i in association_issues(facts(small, lapsed_big), required)] == ["INSURANCE_BELOW_MINIMUM"]


def test_association_requirements_of_auto_workers_comp_and_licence() -> None:
    required = Requirements(
        min_auto_per_occurrence=Decimal("500000.00"), require_workers_compensation=True, require_license=True
    )
    found = association_issues(facts(doc(), licensed=False), required)
    assert [(i.code, i.document) for i in found] == [
        ("INSURANCE_BELOW_MINIMUM", "AUTO"), ("INSURANCE_MISSING", "WORKERS_COMPENSATION"),
        ("LICENSE_MISSING", "LICENSE"),
    ]  # fmt: skip
    complete = facts(doc(), doc("AUTO", limit="500000.00"), doc("WORKERS_COMPENSATION"))
    assert association_issues(complete, required) == []


def test_a_lapsed_policy_is_not_also_below_the_minimum() -> None:
    lapsed = doc(expires=DAY - timedelta(days=1))
    required = Requirements(min_general_liability_per_occurrence=Decimal("2000000.00"), require_license=True)
    found = all_issues(facts(lapsed, licensed=False), required)
    assert [(i.code, i.document) for i in found] == [("INSURANCE_EXPIRED", "GENERAL_LIABILITY"),
                                                    ("LICENSE_MISSING", "LICENSE")]  # fmt: skip

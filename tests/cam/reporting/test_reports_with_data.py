"""Reports with real records behind them (the other report tests mostly produce them for empty associations): the
1099 summary of vendors paid through a payment batch, reserve funding against the reserve domain's own analysis,
violation, architectural review and compliance counts of records made through their procedures, an owner's
statement generated through the framework over HTTP by the owner, and who may read a manager's financial run."""

from __future__ import annotations

import asyncio
import json
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from hestami.core import runtime
from hestami.core.errors import ErrorCode, HestamiError
from tests.cam.accounting.helpers import books
from tests.cam.arc import helpers as arc_helpers
from tests.cam.compliance.helpers import compliance
from tests.cam.disbursements.helpers import payables
from tests.cam.documents.helpers import fetch
from tests.cam.reporting.financial_helpers import produce, table
from tests.cam.reporting.framework_support import Hoa, hoa
from tests.cam.reserve.helpers import PAINT, ROOF
from tests.cam.violations import helpers as violation_helpers
from tests.support.accounts import Account, account, member_account, organization
from tests.support.governance import seat_on_board
from tests.support.rpc import ok, suffix

D = Decimal


def utc_today() -> date:
    return datetime.now(UTC).date()


# --- 1099 summary ------------------------------------------------------------------------------------------------


async def test_form_1099_summary_totals_what_each_eligible_vendor_was_paid(shared_client: httpx.AsyncClient) -> None:
    hoa_ = await payables(shared_client, "Report 1099")
    big = await hoa_.vendor(name=f"Acme Landscaping {suffix()}")
    small = await hoa_.vendor(name=f"Bright Pools {suffix()}")
    corp = await hoa_.vendor(name=f"Corp Supplies {suffix()}", eligible=False)
    unpaid = await hoa_.vendor(name=f"Dawn Painting {suffix()}")
    invoices = [
        await hoa_.approved(big["id"], "450.00"), await hoa_.approved(big["id"], "150.00"),
        await hoa_.approved(small["id"], "599.99"), await hoa_.approved(corp["id"], "5000.00"),
    ]  # fmt: skip
    await hoa_.approved(unpaid["id"], "900.00")  # approved, never paid: not in any year
    batch = await hoa_.ok("accounting/paymentBatch/v1/create", {
        "association_id": hoa_.association_id, "bank_account_id": hoa_.bank["id"],
        "invoice_ids": [i["id"] for i in invoices], "payment_date": "2026-03-20",
    })  # fmt: skip
    await hoa_.ok("accounting/paymentBatch/v1/process", {"id": batch["id"]})
    for _ in range(400):
        done = await hoa_.ok("accounting/paymentBatch/v1/get", {"id": batch["id"]})
        if done["status"] == "COMPLETED":
            break
        await asyncio.sleep(0.05)
    assert done["status"] == "COMPLETED", done
    late = await hoa_.approved(small["id"], "10.00")  # paid the next year
    await hoa_.ok("accounting/apInvoice/v1/pay", {"id": late["id"], "paid_on": "2027-01-02", "reference": "CHK 9"})

    # As the association's seated board member (financial reports are theirs to read).
    data = await produce(hoa_.board, hoa_.org, "form_1099_summary", association_id=hoa_.association_id, year=2026)
    vendors = table(data, "vendors")
    rows = {r[0]: r[1:] for r in vendors.rows}  # type: ignore[union-attr]
    assert rows == {
        big["name"]: ["***-**-6789", 2, D("600.00"), True],
        small["name"]: ["***-**-6789", 1, D("599.99"), False],
    }
    assert vendors.totals == ["Total", None, 3, D("1199.99"), None]
    assert data.summary == {"year": 2026, "vendors": 2, "reportable_vendors": 1, "total_paid": D("1199.99"),
                            "reportable_total": D("600.00")}  # fmt: skip
    own = await hoa_.ok("accounting/form1099/v1/totals", {"association_id": hoa_.association_id, "year": 2026})
    assert {v["vendor_name"]: D(v["total_paid"]) for v in own["vendors"]} == {k: v[2] for k, v in rows.items()}

    next_year = await produce(hoa_.board, hoa_.org, "form_1099_summary", association_id=hoa_.association_id, year=2027)
    assert [r[:1] + r[2:] for r in table(next_year, "vendors").rows] == [  # type: ignore[union-attr]
        [small["name"], 1, D("10.00"), False]
    ]

    other = await payables(shared_client, "Other 1099")
    with pytest.raises(HestamiError) as raised:
        await produce(other.board, other.org, "form_1099_summary", association_id=hoa_.association_id, year=2026)
    assert raised.value.code == ErrorCode.NOT_FOUND


# --- reserve funding ---------------------------------------------------------------------------------------------


async def test_reserve_funding_matches_the_reserve_domains_analysis(shared_client: httpx.AsyncClient) -> None:
    admin = await account(shared_client)
    org = (await organization(shared_client, admin, f"Reserve Report HOA {suffix()}"))["id"]
    hoa_ = await books(shared_client, admin, org)
    # 30,000.00 into reserve savings before either study.
    entry = await hoa_.ok("accounting/journalEntry/v1/create", {
        "association_id": hoa_.association_id, "entry_date": "2024-12-15", "memo": "Reserve opening", "submit": True,
        "lines": [{"gl_account_id": hoa_.account_id("1110"), "debit": "30000.00"},
                  {"gl_account_id": hoa_.account_id("3100"), "credit": "30000.00"}],
    })  # fmt: skip
    await hoa_.ok("accounting/journalEntry/v1/post", {"id": entry["id"]})
    for component in (ROOF, PAINT):
        await hoa_.ok("reserve/component/v1/create", {"association_id": hoa_.association_id, **component})

    def study(on: str) -> dict[str, Any]:
        return {"association_id": hoa_.association_id, "study_date": on, "preparer": "Acme Reserve Consultants",
                "level": "FULL", "inflation_rate": "0.03", "interest_rate": "0.01"}  # fmt: skip

    first = await hoa_.ok("reserve/study/v1/create", study("2025-01-01"))
    pool = {"name": "Pool", "category": "POOL", "useful_life_years": 10, "remaining_life_years": 4,
            "replacement_cost": "50000.00"}  # fmt: skip
    await hoa_.ok("reserve/component/v1/create", {"association_id": hoa_.association_id, **pool})
    latest = await hoa_.ok("reserve/study/v1/create", study("2025-06-01"))

    data = await produce(admin, org, "reserve_funding", association_id=hoa_.association_id, as_of="2025-06-30")
    analysis = await hoa_.ok("reserve/funding/v1/analyze", {"study_id": latest["id"]})
    assert analysis["balance_source"] == "LEDGER"
    assert D(analysis["balance"]) == D("30000.00") == data.summary["reserve_balance"]
    # Roof 100,000 x 15/20 = 75,000; paint new: 0; pool 50,000 x 6/10 = 30,000: 30,000 / 105,000 = 28.57 %.
    assert D(analysis["fully_funded_balance"]) == D("105000.00") == data.summary["fully_funded_balance"]
    assert D(analysis["percent_funded"]) == D("28.57") == data.summary["percent_funded"]
    assert str(data.summary["study_date"]) == "2025-06-01"

    components = table(data, "components")
    assert {r[0]: r[5] for r in components.rows} == {  # type: ignore[union-attr]
        c["name"]: D(c["fully_funded_balance"]) for c in analysis["components"]
    }
    assert components.totals[4:] == [D("170000.00"), D("105000.00")]  # type: ignore[index]

    (chart,) = data.charts
    before = await hoa_.ok("reserve/funding/v1/analyze", {"study_id": first["id"], "years": 1})
    assert chart.kind == "line"
    assert chart.categories[:2] == ["2025-01-01", "2025-06-30 (now)"]
    assert len(chart.categories) == 2 + len(analysis["projection"]) == 32
    actual, projected = chart.series
    assert actual.values[:2] == [D(before["percent_funded"]), D("28.57")] == [D("40.00"), D("28.57")]
    assert all(v is None for v in actual.values[2:])
    assert projected.values[0] is None
    assert projected.values[1] == D("28.57")
    assert projected.values[2:] == [
        None if y["percent_funded"] is None else D(y["percent_funded"]) for y in analysis["projection"]
    ]
    assert sum(1 for v in projected.values if v is not None) > 10

    # Before the first study there is nothing to report; another organization's association is NOT_FOUND.
    early = await produce(admin, org, "reserve_funding", association_id=hoa_.association_id, as_of="2024-12-31")
    assert early.summary["percent_funded"] is None
    other = await account(shared_client)
    other_org = (await organization(shared_client, other, f"Other {suffix()}"))["id"]
    with pytest.raises(HestamiError) as raised:
        await produce(other, other_org, "reserve_funding", association_id=hoa_.association_id, as_of="2025-06-30")
    assert raised.value.code == ErrorCode.NOT_FOUND


# --- violations --------------------------------------------------------------------------------------------------


async def test_violation_summary_counts_what_was_recorded(shared_client: httpx.AsyncClient) -> None:
    c = shared_client
    w = await violation_helpers.community(c)
    parking = await ok(c, w.manager, w.org, "violationType/v1/create", {
        "association_id": w.association["id"], "code": "PARKING", "name": "Parking on the lawn",
        "category": "PARKING",
    })  # fmt: skip

    async def record(vtype: dict[str, Any], observed: datetime) -> str:
        body = {"association_id": w.association["id"], "unit_id": w.unit["id"], "violation_type_id": vtype["id"],
                "description": f"Seen {suffix()}", "observed_at": observed.isoformat()}  # fmt: skip
        made = await ok(c, w.manager, w.org, "violation/v1/create", body)
        await violation_helpers.wait_for_status(c, w.manager, w.org, made["id"], "NOTICED")
        return str(made["id"])

    now = datetime.now(UTC)
    await record(w.vtype, now)  # stays NOTICED
    cured = await record(w.vtype, now)
    await ok(c, w.manager, w.org, "violation/v1/resolve", {"id": cured, "resolution": "CURED"})
    dismissed = await record(parking, now)
    await ok(c, w.manager, w.org, "violation/v1/resolve", {"id": dismissed, "resolution": "DISMISSED"})
    await ok(c, w.manager, w.org, "violation/v1/close", {"id": dismissed, "resolution": "Not a violation"})
    await record(w.vtype, now - timedelta(days=40))  # open, observed before the period

    end = utc_today()
    start = end - timedelta(days=10)
    data = await produce(w.manager, w.org, "violation_summary", association_id=w.association["id"],
                         start=start.isoformat(), end=end.isoformat())  # fmt: skip
    assert data.summary == {"opened": 3, "open": 2, "cure_deadlines_passed": 0, "fines_assessed": D("0.00")}
    assert {r[0]: r[1] for r in table(data, "by_status").rows} == {  # type: ignore[union-attr]
        "NOTICED": 1, "CURED": 1, "CLOSED": 1,
    }  # fmt: skip
    by_type = table(data, "by_type")
    assert {r[0]: r[1:] for r in by_type.rows} == {  # type: ignore[union-attr]
        w.vtype["name"]: [2, 1, D("0.00")], "Parking on the lawn": [1, 0, D("0.00")],
    }  # fmt: skip
    assert by_type.totals == ["Total", 3, 1, D("0.00")]
    (chart,) = data.charts
    assert chart.categories[-1] == end.strftime("%Y-%m")
    assert sum(chart.series[0].values) == 3  # type: ignore[arg-type]

    # A longer period takes in the older one too.
    wider = await produce(w.manager, w.org, "violation_summary", association_id=w.association["id"],
                          start=(end - timedelta(days=60)).isoformat(), end=end.isoformat())  # fmt: skip
    assert (wider.summary["opened"], wider.summary["open"]) == (4, 2)

    other = await violation_helpers.community(c)
    with pytest.raises(HestamiError) as raised:
        await produce(other.manager, other.org, "violation_summary", association_id=w.association["id"])
    assert raised.value.code == ErrorCode.NOT_FOUND


# --- architectural review ----------------------------------------------------------------------------------------


async def test_arc_summary_counts_requests_and_lists_one_past_its_deemed_approval(
    shared_client: httpx.AsyncClient,
) -> None:
    c = shared_client
    w = await arc_helpers.community(c)
    settings = {"association_id": w.association["id"], "deemed_approval_days": 30}
    await ok(c, w.manager, w.org, "arc/settings/v1/update", settings)
    await arc_helpers.draft(c, w, "Shed")  # DRAFT
    withdrawn = await arc_helpers.draft(c, w, "Pergola")
    await ok(c, w.owner, w.org, "arc/request/v1/withdraw", {"id": withdrawn["id"]})
    reviewing = await arc_helpers.under_review(c, w, "Fence")
    assert reviewing["status"] == "UNDER_REVIEW"
    assert reviewing["review_due_at"] is not None
    overdue = await arc_helpers.under_review(c, w, "Deck")
    approved = await arc_helpers.under_review(c, w, "Patio")
    for member in w.members[:2]:
        await arc_helpers.vote(c, w, member, approved["id"], "APPROVE")
    decided = await ok(c, w.manager, w.org, "arc/review/v1/recordDecision",
                       {"request_id": approved["id"], "reasons": "Two of three approve."})  # fmt: skip
    assert decided["status"] == "APPROVED"

    # The deck's deemed-approval date moved into the past without its lifecycle having woken yet (it sleeps until
    # the 30 days it was given): still UNDER_REVIEW, past the date.
    database = runtime.current().database
    async with database.transaction(organization_id=uuid.UUID(w.org), user_id=None) as session:
        moved = await session.execute(
            text("UPDATE arc_requests SET review_due_at = now() - interval '1 hour' WHERE id = :id RETURNING id"),
            {"id": overdue["id"]},
        )
        assert len(moved.all()) == 1
    still = await ok(c, w.manager, w.org, "arc/request/v1/get", {"id": overdue["id"]})
    assert still["status"] == "UNDER_REVIEW"

    data = await produce(w.manager, w.org, "arc_summary", association_id=w.association["id"],
                         start=(utc_today() - timedelta(days=3)).isoformat(), end=utc_today().isoformat())  # fmt: skip
    assert {r[0]: r[1] for r in table(data, "by_status").rows} == {  # type: ignore[union-attr]
        "DRAFT": 1, "WITHDRAWN": 1, "UNDER_REVIEW": 2, "APPROVED": 1,
    }  # fmt: skip
    assert data.summary["opened"] == 5
    assert data.summary["decided"] == 1
    assert data.summary["deemed_approved"] == 0
    assert data.summary["in_review"] == 2
    assert data.summary["pending_past_deemed_approval"] == 1
    past = table(data, "past_deemed_approval").rows
    assert [(r[0], r[1], r[2]) for r in past] == [(overdue["number"], "Deck", "UNDER_REVIEW")]  # type: ignore[union-attr]
    assert data.summary["average_days_to_decision"] is not None
    assert data.summary["average_days_to_decision"] < 1
    chart = data.charts[0]
    assert dict(zip(chart.categories, chart.series[0].values, strict=True))["UNDER_REVIEW"] == 2

    # The owner asks the same: they see their own requests (all of these are theirs), the same counts.
    as_owner = await produce(
        w.owner,
        w.org,
        "arc_summary",
        association_id=w.association["id"],
        start=(utc_today() - timedelta(days=3)).isoformat(),
        end=utc_today().isoformat(),
    )
    assert as_owner.summary["opened"] == 5

    other = await arc_helpers.community(c)
    with pytest.raises(HestamiError) as raised:
        await produce(other.manager, other.org, "arc_summary", association_id=w.association["id"])
    assert raised.value.code == ErrorCode.NOT_FOUND


# --- compliance --------------------------------------------------------------------------------------------------


async def test_compliance_status_counts_overdue_due_and_done(shared_client: httpx.AsyncClient) -> None:
    hoa_ = await compliance(shared_client, "Compliance Report")
    today = utc_today()
    monthly = await hoa_.requirement(title="Monthly inspection", kind="OTHER", rrule="FREQ=MONTHLY",
                                     anchor_date=today.replace(day=1).isoformat(), lead_days=7)  # fmt: skip
    yearly = await hoa_.requirement(title="Annual filing", rrule="FREQ=YEARLY",
                                    anchor_date=(today + timedelta(days=200)).isoformat())  # fmt: skip
    through = today + timedelta(days=150)
    months = await hoa_.deadlines(monthly["id"], through)
    years = await hoa_.deadlines(yearly["id"], through)
    assert len(months) >= 4
    assert years == []  # its first due date is after the window
    through = today + timedelta(days=400)
    months = await hoa_.deadlines(monthly["id"], through)
    years = await hoa_.deadlines(yearly["id"], through)
    assert len(years) == 1
    await hoa_.ok("compliance/deadline/v1/complete", {"id": months[0]["id"], "notes": "Inspected"})
    await hoa_.ok("compliance/deadline/v1/waive", {"id": months[1]["id"], "notes": "Building closed"})
    # On the day after the third monthly deadline: the first two closed, the third overdue, the rest due.
    as_of = date.fromisoformat(months[2]["due_on"]) + timedelta(days=1)
    due_after = [d for d in [*months, *years] if date.fromisoformat(d["due_on"]) >= as_of]

    data = await produce(hoa_.board, hoa_.org, "compliance_status", association_id=hoa_.association_id,
                         as_of=as_of.isoformat())  # fmt: skip
    assert data.summary["overdue"] == 1
    assert data.summary["done"] == 2
    assert data.summary["due"] == len(due_after) == len(months) - 3 + 1
    assert str(data.summary["next_due_on"]) == months[3]["due_on"]
    assert [list(r) for r in table(data, "by_status").rows] == [  # type: ignore[union-attr]
        ["OVERDUE", 1], ["DUE", len(due_after)], ["DONE", 2],
    ]  # fmt: skip
    requirements = table(data, "requirements")
    rows = {r[0]: r[1:] for r in requirements.rows}  # type: ignore[union-attr]
    assert rows[monthly["code"]] == ["Monthly inspection", "OTHER", date.fromisoformat(months[2]["due_on"]),
                                     1, len(months) - 3, 2]  # fmt: skip
    assert rows[yearly["code"]] == ["Annual filing", "STATUTORY_DEADLINE", date.fromisoformat(years[0]["due_on"]),
                                    0, 1, 0]  # fmt: skip
    assert [r[0] for r in requirements.rows] == [monthly["code"], yearly["code"]]  # type: ignore[union-attr]
    assert requirements.totals == ["Total", None, None, None, 1, len(due_after), 2]

    other = await compliance(shared_client, "Other Compliance")
    with pytest.raises(HestamiError) as raised:
        await produce(other.manager, other.org, "compliance_status", association_id=hoa_.association_id)
    assert raised.value.code == ErrorCode.NOT_FOUND


# --- through the framework over HTTP -----------------------------------------------------------------------------


async def download_json(place: Hoa, client: httpx.AsyncClient, run_id: str, who: Account) -> dict[str, Any]:
    done = await place.finished(run_id, who)
    assert done["status"] == "COMPLETED", done
    link = await place.ok("report/v1/download", {"id": run_id}, who)
    got = await fetch(client, link["url"])
    assert got.status_code == 200
    assert len(got.content) == done["size_bytes"]
    content: dict[str, Any] = json.loads(got.content)
    return content


def statement(unit_id: str) -> dict[str, Any]:
    return {"report": "owner_statement", "format": "JSON", "parameters": {"unit_id": unit_id, "as_of": "2025-03-31"}}


async def test_the_owner_generates_and_downloads_their_own_statement(shared_client: httpx.AsyncClient) -> None:
    place = await hoa(shared_client, "Owner Statement")
    dues = await place.books.dues()
    for due in ("2025-01-01", "2025-02-01", "2025-03-01"):
        await place.books.charge(dues["id"], place.unit_id, due, "250.00")
    await place.books.pay(place.unit_id, "100.00", on="2025-01-20")
    await place.books.charge(dues["id"], place.other_unit_id, "2025-01-01", "999.00")
    # A second owner, of the other unit.
    neighbour = await member_account(shared_client, place.books.admin, place.org, ["OWNER"])
    party = await place.ok("party/v1/create", {"party_type": "INDIVIDUAL", "first_name": "Ned", "last_name": "Bor",
                                               "user_id": str(neighbour.user_id)})  # fmt: skip
    await place.ok("ownership/v1/create", {"unit_id": place.other_unit_id, "party_id": party["id"],
                                           "percentage": "100", "start_date": "2020-01-01"})  # fmt: skip

    run = await place.ok("report/v1/generate", statement(place.unit_id), place.owner)
    assert (run["status"], run["category"], run["unit_id"]) == ("QUEUED", "OWNER", place.unit_id)
    content = await download_json(place, shared_client, run["id"], place.owner)
    assert content["title"] == "Owner statement"
    assert content["summary"]["balance"] == "650.00"
    assert content["summary"]["as_of"] == "2025-03-31"
    tables = {t["key"]: t for t in content["tables"]}
    charges = tables["open_charges"]
    open_at = [c["key"] for c in charges["columns"]].index("open")
    assert [r[open_at] for r in charges["rows"]] == ["150.00", "250.00", "250.00"]
    assert charges["totals"][open_at] == "650.00"
    assert [r[4] for r in tables["payments"]["rows"]] == ["100.00"]
    assert "999.00" not in json.dumps(content)

    # Another unit of the same association: the owner may not see that unit at all, so NOT_FOUND (the unit
    # policy hides other owners' units; `report/v1/generate` loads the unit in the caller's scope first).
    await place.fails("report/v1/generate", statement(place.other_unit_id), 404, "NOT_FOUND", place.owner)
    # The neighbour's own run is theirs alone: NOT_FOUND to the first owner, in the list too.
    theirs = await place.ok("report/v1/generate", statement(place.other_unit_id), neighbour)
    neighbours = await download_json(place, shared_client, theirs["id"], neighbour)
    assert neighbours["summary"]["balance"] == "999.00"
    await place.fails("report/v1/get", {"id": theirs["id"]}, 404, "NOT_FOUND", place.owner)
    await place.fails("report/v1/download", {"id": theirs["id"]}, 404, "NOT_FOUND", place.owner)
    listed = await place.ok("report/v1/list", {"limit": 200}, place.owner)
    assert [r["id"] for r in listed["items"]] == [run["id"]]


async def test_a_board_member_downloads_a_managers_financial_run_another_associations_board_does_not(
    shared_client: httpx.AsyncClient,
) -> None:
    place = await hoa(shared_client, "Board Packet")
    dues = await place.books.dues()
    await place.books.charge(dues["id"], place.unit_id, "2025-01-01", "250.00")
    await place.books.charge(dues["id"], place.other_unit_id, "2025-03-01", "125.50")
    body = {"report": "aged_receivables", "format": "JSON",
            "parameters": {"association_id": place.association_id, "as_of": "2025-03-31"}}  # fmt: skip
    run = await place.ok("report/v1/generate", body, place.manager)
    content = await download_json(place, shared_client, run["id"], place.board)
    assert content["summary"]["total"] == "375.50"
    units = content["tables"][0]
    total_at = [c["key"] for c in units["columns"]].index("total")
    assert sorted(r[total_at] for r in units["rows"]) == ["125.50", "250.00"]

    # A board member of another association of the same organization.
    sibling = await books(shared_client, place.books.admin, place.org)
    other_board = await member_account(shared_client, place.books.admin, place.org, ["OWNER"])
    await seat_on_board(shared_client, place.books.admin, place.org, sibling.association_id, other_board)
    await place.fails("report/v1/get", {"id": run["id"]}, 404, "NOT_FOUND", other_board)
    await place.fails("report/v1/download", {"id": run["id"]}, 404, "NOT_FOUND", other_board)
    seen = await place.ok("report/v1/list", {"limit": 200}, other_board)
    assert run["id"] not in [r["id"] for r in seen["items"]]
    # …and may not generate it about the association whose board they are not on.
    # (the association is in their organization, so it loads; the report_run policy refuses: FORBIDDEN).
    await place.fails("report/v1/generate", body, 403, "FORBIDDEN", other_board)
    # Their own association's runs they do read.
    mine = await place.ok(
        "report/v1/generate",
        {**body, "parameters": {"association_id": sibling.association_id, "as_of": "2025-03-31"}},
        other_board,
    )
    assert (await download_json(place, shared_client, mine["id"], other_board))["summary"]["total"] == "0.00"

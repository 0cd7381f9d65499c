"""Quoting over HTTP: `price` from the ACTIVE version (or a named one) through the rules in their stated order,
exact cents; rate sheets only for an association linked to the contractor (another association is NOT_FOUND,
like a random id); rule shapes per kind; deactivated rules stop applying."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal

import httpx
import pytest

from tests.contractor.pricebook.helpers import Hoa, Pricebook, contractor, hoa

RULE = "BUSINESS_RULE_VIOLATION"
SATURDAY_NIGHT = "2031-04-19T22:30:00-05:00"  # a Saturday in spring, in Chicago
TUESDAY_NOON = "2031-04-15T12:00:00-05:00"
WINTER_TUESDAY = "2031-01-14T12:00:00-06:00"


@dataclass
class World:
    book: Pricebook
    version: str
    hoa: Hoa  # linked to the contractor
    stranger: Hoa  # not linked
    hvac: str  # the HVAC category


@pytest.fixture(scope="module")
async def world(shared_client: httpx.AsyncClient) -> World:
    book = await contractor(shared_client, "Quotes")
    linked, stranger = await hoa(shared_client, "Linked"), await hoa(shared_client, "Stranger")
    await linked.link(book)
    hvac = await book.category("HVAC")
    tune_ups = await book.category("Tune-ups", hvac["id"])
    version = await book.version()
    await book.item(version["id"], code="HVAC-TUNE", name="AC tune-up", price="149.00", category_id=tune_ups["id"])
    await book.item(version["id"], code="LAB-JP", name="Journeyman plumber hour", kind="LABOR", unit="HOUR",
                    price="10.01", taxable=False)  # fmt: skip
    await book.item(version["id"], code="CU-34", name='3/4" copper pipe per foot', kind="MATERIAL", unit="FOOT",
                    price="4.35")  # fmt: skip
    await book.active(version["id"])
    return World(book, version["id"], linked, stranger, hvac["id"])


async def test_without_an_active_version_a_quote_names_one(shared_client: httpx.AsyncClient) -> None:
    book = await contractor(shared_client, "Inactive")
    version = await book.version()
    await book.item(version["id"], code="SVC", price="80.00")
    await book.fails("pricebook/v1/price", {"items": [{"code": "SVC", "quantity": "1"}]}, 422, RULE,
                     "NO_ACTIVE_VERSION")  # fmt: skip
    drafted = await book.price([("SVC", "2")], version_id=version["id"])
    assert (drafted["version_id"], drafted["subtotal"], drafted["taxable_subtotal"]) == (version["id"], "160.00",
                                                                                         "160.00")  # fmt: skip
    mixed = {
        "items": [{"code": "NOPE", "quantity": "1"}, {"code": "SVC", "quantity": "1"}],
        "version_id": version["id"],
    }
    refused = await book.fails("pricebook/v1/price", mixed, 422, RULE, "UNKNOWN_ITEM_CODE")
    assert refused["details"]["codes"] == ["NOPE"]


async def test_the_rules_apply_in_the_stated_order(world: World) -> None:
    """Base 149.00 → rate sheet 120.00 → spring 10 % 108.00 → volume 5 % 102.60 → member 15 % 87.21 → after-hours
    50 % 130.815 → 130.82; three tune-ups 392.46."""
    book = world.book
    rules = [
        await book.rule("SEASONAL", percent="10", starts_on="2031-03-01", ends_on="2031-05-31",
                        time_zone="America/Chicago", category_id=world.hvac),
        await book.rule("VOLUME", percent="5", min_quantity="3"),
        await book.rule("MEMBER_DISCOUNT", percent="15"),
        await book.rule("AFTER_HOURS", percent="50", weekdays=["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY"],
                        window_start="08:00", window_end="17:00", outside_window=True, time_zone="America/Chicago"),
        await book.rule("RATE_SHEET", association_id=world.hoa.association_id,
                        entries=[{"code": "HVAC-TUNE", "price": "120.00"},
                                 {"code": "LAB-JP", "discount_percent": "50"}]),
    ]  # fmt: skip
    quote = await book.price([("HVAC-TUNE", "3"), ("LAB-JP", "1"), ("CU-34", "1.5")],
                             association_id=world.hoa.association_id, at=SATURDAY_NIGHT, member=True)  # fmt: skip
    tune, labour, pipe = quote["lines"]
    steps = [(a["kind"], a["price_before"], a["price_after"]) for a in tune["applied_rules"]]
    assert steps == [
        ("RATE_SHEET", "149.00", "120.00"), ("SEASONAL", "120.00", "108.00"), ("VOLUME", "108.00", "102.60"),
        ("MEMBER_DISCOUNT", "102.60", "87.21"), ("AFTER_HOURS", "87.21", "130.82"),
    ]  # fmt: skip
    assert (tune["base_price"], tune["unit_price"], tune["line_total"]) == ("149.00", "130.82", "392.46")
    # labour: 10.01 - 50 % = 5.005 → 5.01 (half up); member 15 % → 4.2585 → 4.26; after-hours 50 % → 6.39
    assert [a["price_after"] for a in labour["applied_rules"]] == ["5.01", "4.26", "6.39"]
    # pipe: member 4.35 → 3.6975 → 3.70; after-hours → 5.55; 1.5 ft → 8.325 → 8.33
    assert (pipe["unit_price"], pipe["line_total"], pipe["quantity"]) == ("5.55", "8.33", "1.5000")
    assert (quote["subtotal"], quote["taxable_subtotal"]) == ("407.18", "400.79")
    seasonal, volume, member, after_hours, sheet = rules
    in_order = [sheet, seasonal, volume, member, after_hours]
    assert [a["rule_id"] for a in tune["applied_rules"]] == [r["id"] for r in in_order]
    plain = await book.price([("HVAC-TUNE", "1")], at=WINTER_TUESDAY)
    assert (plain["lines"][0]["unit_price"], plain["lines"][0]["applied_rules"]) == ("149.00", [])
    without_sheet = await book.price([("HVAC-TUNE", "1")], at=TUESDAY_NOON)
    assert [a["kind"] for a in without_sheet["lines"][0]["applied_rules"]] == ["SEASONAL"]
    for made in rules:
        await book.ok("pricebook/v1/deactivateRule", {"id": made["id"]})
    after = await book.price([("HVAC-TUNE", "3")], association_id=world.hoa.association_id, at=SATURDAY_NIGHT,
                             member=True)  # fmt: skip
    assert (after["lines"][0]["applied_rules"], after["subtotal"]) == ([], "447.00")


async def test_a_rate_sheet_only_for_an_association_linked_to_the_contractor(world: World) -> None:
    book = world.book
    entries = [{"code": "HVAC-TUNE", "price": "99.00"}]
    for association in (world.stranger.association_id, str(uuid.uuid4())):
        error = await book.fails("pricebook/v1/createRule", {"name": "Sheet", "kind": "RATE_SHEET",
                                 "association_id": association, "entries": entries}, 404, "NOT_FOUND")  # fmt: skip
        assert error["details"] == {"kind": "association", "id": association}
        await book.fails("pricebook/v1/price", {"items": [{"code": "HVAC-TUNE", "quantity": "1"}],
                                                "association_id": association}, 404, "NOT_FOUND")  # fmt: skip
    sheet = await book.rule("RATE_SHEET", association_id=world.hoa.association_id, entries=entries)
    await book.fails("pricebook/v1/createRule", {"name": "Again", "kind": "RATE_SHEET",
                     "association_id": world.hoa.association_id, "entries": entries}, 422, RULE,
                     "DUPLICATE_RATE_SHEET")  # fmt: skip
    changed = await book.ok("pricebook/v1/updateRule", {"id": sheet["id"], "entries": [
        {"code": "HVAC-TUNE", "discount_percent": "12.5"}, {"code": "CU-34", "price": "4.00"}]})  # fmt: skip
    assert [(e["code"], e["price"], e["discount_percent"]) for e in changed["entries"]] == [
        ("CU-34", "4.00", None), ("HVAC-TUNE", None, "12.5000")
    ]  # fmt: skip
    quote = await book.price([("HVAC-TUNE", "1")], association_id=world.hoa.association_id, at=WINTER_TUESDAY)
    assert quote["lines"][0]["unit_price"] == "130.38"  # 149.00 - 12.5 % = 130.375 → 130.38
    listed = await book.ok("pricebook/v1/listRules", {"association_id": world.hoa.association_id, "active": True})
    assert [r["id"] for r in listed["items"]] == [sheet["id"]]
    await book.ok("pricebook/v1/deactivateRule", {"id": sheet["id"]})
    await book.fails("pricebook/v1/deactivateRule", {"id": sheet["id"]}, 422, RULE, "RULE_INACTIVE")
    await book.fails("pricebook/v1/updateRule", {"id": sheet["id"], "name": "Late"}, 422, RULE, "RULE_INACTIVE")
    again = await book.rule("RATE_SHEET", association_id=world.hoa.association_id, entries=entries)
    await book.ok("pricebook/v1/deactivateRule", {"id": again["id"]})
    assert await book.audit_actions(sheet["id"]) == [
        "pricebook_rule.created", "pricebook_rule.entries_set", "pricebook_rule.updated", "pricebook_rule.entries_set",
        "pricebook_rule.deactivated",
    ]  # fmt: skip


@pytest.mark.parametrize(
    "body",
    [
        {"kind": "SEASONAL", "percent": "10", "starts_on": "2031-03-01", "ends_on": "2031-05-31"},  # no time zone
        {"kind": "SEASONAL", "percent": "10", "starts_on": "2031-06-01", "ends_on": "2031-05-31",
         "time_zone": "America/Chicago"},  # ends before it starts
        {"kind": "VOLUME", "percent": "10"},
        {"kind": "VOLUME", "percent": "10", "min_quantity": "5", "starts_on": "2031-03-01"},
        {"kind": "MEMBER_DISCOUNT", "percent": "0"},
        {"kind": "MEMBER_DISCOUNT", "percent": "100.5"},
        {"kind": "MEMBER_DISCOUNT", "percent": "10", "association_id": str(uuid.uuid4())},
        {"kind": "AFTER_HOURS", "percent": "25", "weekdays": ["SATURDAY"], "window_start": "00:00",
         "window_end": "00:00", "time_zone": "Mars/Olympus"},
        {"kind": "AFTER_HOURS", "percent": "25", "weekdays": ["SATURDAY", "SATURDAY"], "window_start": "00:00",
         "window_end": "00:00", "time_zone": "UTC"},
        {"kind": "AFTER_HOURS", "percent": "25", "weekdays": ["SATURDAY"], "window_start": "08:00+02:00",
         "window_end": "17:00", "time_zone": "UTC"},
        {"kind": "RATE_SHEET", "association_id": str(uuid.uuid4()), "entries": []},
        {"kind": "RATE_SHEET", "association_id": str(uuid.uuid4()),
         "entries": [{"code": "X", "price": "1.00", "discount_percent": "5"}]},
    ],
    ids=["no time zone", "backwards season", "no minimum", "a date on a volume rule", "zero", "over 100",
         "an association on a discount", "unknown zone", "twice a day", "a time with an offset", "an empty sheet",
         "price and discount"],
)  # fmt: skip
async def test_each_kind_of_rule_takes_its_own_fields(world: World, body: dict[str, object]) -> None:
    await world.book.fails("pricebook/v1/createRule", {"name": "Bad", **body}, 400, "VALIDATION_FAILED")


async def test_updating_a_rule_keeps_its_kind(world: World) -> None:
    book = world.book
    volume = await book.rule("VOLUME", percent="5", min_quantity="10")
    await book.fails("pricebook/v1/updateRule", {"id": volume["id"], "starts_on": "2031-01-01"}, 400,
                     "VALIDATION_FAILED")  # fmt: skip
    changed = await book.ok("pricebook/v1/updateRule", {"id": volume["id"], "percent": None, "min_quantity": "20",
                                                         "item_codes": ["CU-34"]})  # fmt: skip
    assert (changed["percent"], changed["min_quantity"], changed["item_codes"]) == ("5.0000", "20.0000", ["CU-34"])
    season = await book.rule("SEASONAL", percent="10", starts_on="2031-03-01", ends_on="2031-05-31",
                             time_zone="America/Chicago")  # fmt: skip
    await book.fails("pricebook/v1/updateRule", {"id": season["id"], "ends_on": "2031-02-01"}, 400,
                     "VALIDATION_FAILED")  # fmt: skip
    wraps = await book.ok("pricebook/v1/updateRule", {"id": season["id"], "starts_on": "2031-11-15",
                                                       "ends_on": "2031-02-15", "yearly": True})  # fmt: skip
    assert (wraps["starts_on"], wraps["ends_on"], wraps["yearly"]) == ("2031-11-15", "2031-02-15", True)
    quote = await book.price([("HVAC-TUNE", "1")], at=WINTER_TUESDAY)
    assert Decimal(quote["lines"][0]["unit_price"]) == Decimal("134.10")
    for made in (volume, season):
        await book.ok("pricebook/v1/deactivateRule", {"id": made["id"]})

"""The demo's contractors: Evergreen Plumbing & HVAC (on the platform, two branches) and the providers the HOA
demos work with, each with its profile, licences and insurance. Dates are relative to the day the demo is seeded:
Lone Star Landscaping's general liability expires next week (the daily check tells it at 14 and 1 days, then the
linked associations), Bayside Roofing's and Mission Rooter's have lapsed (no HOA work for them), Hill Country Water
Heaters is off the platform (an EXTERNAL_SERVICE_PROVIDER kept as contact fields and its certificate); Cibolo Creek
Roofing (journey 5's roofer, linked to Sunset Ridge) is current."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time, timedelta
from decimal import Decimal

from hestami.cam.work_order.assignment_demo_data import ALAMO, HILL_COUNTRY, MISSION
from hestami.cam.work_order.demo_data import AUSTIN_ZIPS, BAYSIDE, CIBOLO, EVERGREEN, LONE_STAR, SAN_ANTONIO_ZIPS
from hestami.contractor.profile.schemas import AddInsurance, AddLicense, CreateBranch, Hours, UpsertProfile
from hestami.identity.schemas import OrganizationType

WEEKDAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY")
OFFICE = {day: Hours(opens=time(7), closes=time(18)) for day in WEEKDAYS} | {
    "SATURDAY": Hours(opens=time(8), closes=time(12))
}
MILLION = Decimal("1000000.00")


@dataclass(frozen=True)
class DemoContractor:
    slug: str
    name: str
    type: OrganizationType
    profile: UpsertProfile
    licenses: tuple[AddLicense, ...] = ()
    insurances: tuple[AddInsurance, ...] = ()
    branches: tuple[CreateBranch, ...] = field(default_factory=tuple)


def _policy(
    kind: str, carrier: str, number: str, expires: date, occurrence: Decimal, aggregate: Decimal
) -> AddInsurance:
    return AddInsurance.model_validate(
        {"kind": kind, "carrier": carrier, "policy_number": number, "per_occurrence_limit": occurrence,
         "aggregate_limit": aggregate, "effective_on": expires - timedelta(days=365), "expires_on": expires}
    )  # fmt: skip


def contractors_on(today: date) -> tuple[DemoContractor, ...]:
    def years(n: int) -> date:
        return date(today.year + n, today.month, min(today.day, 28))

    def days(n: int) -> date:
        return today + timedelta(days=n)

    evergreen = DemoContractor(
        EVERGREEN, "Evergreen Plumbing & HVAC", "SERVICE_PROVIDER",
        UpsertProfile(
            legal_name="Evergreen Mechanical Services LLC", dba="Evergreen Plumbing & HVAC",
            trades=["PLUMBING", "HVAC", "ELECTRICAL"], service_zip_codes=[*AUSTIN_ZIPS, *SAN_ANTONIO_ZIPS],
            service_radius_miles=90, operating_hours=OFFICE,
            description="Licensed plumbing and HVAC for community associations in Central Texas; 24/7 emergency line.",
            contact_name="Victor Vendor", contact_email="dispatch@evergreen-plumbing.example",
            contact_phone="(512) 555-0142", website="https://evergreen-plumbing.example",
            address="4410 Burnet Rd, Austin, TX 78756",
        ),
        licenses=(
            AddLicense(trade="PLUMBING", jurisdiction="TX", license_number="TSBPE RMP-41873",
                       classification="Responsible Master Plumber", issued_on=date(2015, 3, 1), expires_on=years(1)),
            AddLicense(trade="HVAC", jurisdiction="TX", license_number="TDLR TACLA-28841C",
                       classification="Class A, unrestricted", issued_on=date(2017, 6, 1), expires_on=days(45)),
            AddLicense(trade="ELECTRICAL", jurisdiction="TX", license_number="TDLR EC-33921",
                       classification="Electrical Contractor", issued_on=date(2019, 1, 15), expires_on=years(2)),
        ),
        insurances=(
            _policy("GENERAL_LIABILITY", "Travelers Casualty", "GL-7712-4410", days(240), MILLION, 2 * MILLION),
            _policy("WORKERS_COMPENSATION", "Texas Mutual", "WC-220-88415", days(240), MILLION, MILLION),
            _policy("AUTO", "Progressive Commercial", "CA-55102-77", days(150), MILLION, MILLION),
        ),
        branches=(
            CreateBranch(name="Austin North", code="ATX-N", address="4410 Burnet Rd", city="Austin", state="TX",
                         zip_code="78756", phone="(512) 555-0142", primary_branch=True,
                         service_zip_codes=list(AUSTIN_ZIPS), operating_hours=OFFICE),
            CreateBranch(name="Austin South", code="ATX-S", address="8900 S Congress Ave", city="Austin", state="TX",
                         zip_code="78745", phone="(512) 555-0177",
                         service_zip_codes=[*AUSTIN_ZIPS[:6], *SAN_ANTONIO_ZIPS],
                         operating_hours=OFFICE),
        ),
    )  # fmt: skip
    lone_star = DemoContractor(
        LONE_STAR, "Lone Star Landscaping", "SERVICE_PROVIDER",
        UpsertProfile(
            legal_name="Lone Star Landscaping", trades=["LANDSCAPING", "IRRIGATION", "TREE_CARE"],
            service_zip_codes=["78664", "78665", "78681", "78750", "78209", "78232", "78258", "78259", "78411"],
            service_radius_miles=120, operating_hours=OFFICE,
            description="Grounds maintenance, irrigation repair and tree care; licensed irrigator on every crew.",
        ),
        licenses=(AddLicense(trade="IRRIGATION", jurisdiction="TX", license_number="TCEQ LI-0019283",
                             expires_on=years(2)),),
        insurances=(
            _policy("GENERAL_LIABILITY", "Hartford", "GL-31-99120", days(6), MILLION, 2 * MILLION),
            _policy("WORKERS_COMPENSATION", "Hartford", "WC-31-99121", days(310), MILLION, MILLION),
        ),
    )  # fmt: skip
    bayside = DemoContractor(
        BAYSIDE, "Bayside Roofing", "SERVICE_PROVIDER",
        UpsertProfile(
            legal_name="Bayside Roofing Co.", trades=["ROOFING", "GUTTERS"],
            service_zip_codes=["78411", "78412", "78413", "78418", "78665", "78681"], service_radius_miles=200,
            description="Commercial and residential roofing on the Coastal Bend; storm repairs.",
        ),
        licenses=(AddLicense(trade="ROOFING", jurisdiction="TX", license_number="RCAT TRSC-2291",
                             expires_on=years(1)),),
        insurances=(
            _policy("GENERAL_LIABILITY", "Gulf States Mutual", "GSM-GL-5520", days(-19), MILLION, MILLION),
            _policy("WORKERS_COMPENSATION", "Gulf States Mutual", "GSM-WC-5521", days(150), MILLION, MILLION),
        ),
    )  # fmt: skip
    alamo = DemoContractor(
        ALAMO, "Alamo City Plumbing", "SERVICE_PROVIDER",
        UpsertProfile(
            legal_name="Alamo City Plumbing", trades=["PLUMBING", "WATER_HEATER", "DRAIN"],
            service_zip_codes=list(SAN_ANTONIO_ZIPS), service_radius_miles=40,
            description="Family-run plumbers on the north side of San Antonio; water heaters and slab leaks.",
        ),
        licenses=(AddLicense(trade="PLUMBING", jurisdiction="TX", license_number="TSBPE RMP-38120",
                             expires_on=years(1)),),
        insurances=(
            _policy("GENERAL_LIABILITY", "Texas Mutual", "TM-GL-38120", days(200), MILLION, MILLION),
            _policy("WORKERS_COMPENSATION", "Texas Mutual", "TM-WC-38120", days(200), MILLION, MILLION),
        ),
    )  # fmt: skip
    mission = DemoContractor(
        MISSION, "Mission Rooter & Drain", "SERVICE_PROVIDER",
        UpsertProfile(
            legal_name="Mission Rooter & Drain", trades=["PLUMBING", "DRAIN"], service_zip_codes=list(SAN_ANTONIO_ZIPS),
            service_radius_miles=30, description="Drain cleaning and camera inspection; insurance renewal pending.",
        ),
        licenses=(AddLicense(trade="PLUMBING", jurisdiction="TX", license_number="TSBPE RMP-40277",
                             expires_on=years(1)),),
        insurances=(_policy("GENERAL_LIABILITY", "Lone Star Casualty", "LSC-88-402", days(-12), MILLION, MILLION),),
    )  # fmt: skip
    hill_country = DemoContractor(
        HILL_COUNTRY, "Hill Country Water Heaters", "EXTERNAL_SERVICE_PROVIDER",
        UpsertProfile(
            legal_name="Hill Country Water Heaters", trades=["PLUMBING", "WATER_HEATER"],
            service_zip_codes=["78701", "78704", "78745", "78748", "78750"], service_radius_miles=25,
            description="Tank and tankless water heaters in Austin (not on Hestami: contact by phone).",
            contact_name="Dale Hutchins", contact_phone="(512) 555-0199", contact_email="dale@hcwh.example",
        ),
        licenses=(AddLicense(trade="PLUMBING", jurisdiction="TX", license_number="TSBPE RMP-44519",
                             expires_on=years(2)),),
        insurances=(
            _policy("GENERAL_LIABILITY", "Hartford", "HF-GL-44519", days(330), MILLION, 2 * MILLION),
            _policy("WORKERS_COMPENSATION", "Hartford", "HF-WC-44519", days(330), MILLION, MILLION),
        ),
    )  # fmt: skip
    cibolo = DemoContractor(
        CIBOLO, "Cibolo Creek Roofing", "SERVICE_PROVIDER",
        UpsertProfile(
            legal_name="Cibolo Creek Roofing LLC", dba="Cibolo Creek Roofing", trades=["ROOFING", "GUTTERS"],
            service_zip_codes=list(SAN_ANTONIO_ZIPS), service_radius_miles=60, operating_hours=OFFICE,
            description="Shingle, metal and flat roofs and seamless gutters for San Antonio's communities; leak "
                        "repairs within 48 hours.",
            contact_name="Rosa Rivera", contact_email="estimates@cibolo-roofing.example",
            contact_phone="(210) 555-0173", website="https://cibolo-roofing.example",
            address="20770 US-281 N, San Antonio, TX 78258",
        ),
        licenses=(AddLicense(trade="ROOFING", jurisdiction="TX", license_number="RCAT TRSC-3310",
                             classification="Texas Residential Shingle Certified", issued_on=date(2018, 5, 1),
                             expires_on=years(2)),),
        insurances=(
            _policy("GENERAL_LIABILITY", "Texas Mutual", "TM-GL-73310", days(280), MILLION, 2 * MILLION),
            _policy("WORKERS_COMPENSATION", "Texas Mutual", "TM-WC-73310", days(280), MILLION, MILLION),
        ),
        branches=(
            CreateBranch(name="San Antonio", code="SAT", address="20770 US-281 N", city="San Antonio", state="TX",
                         zip_code="78258", phone="(210) 555-0173", primary_branch=True,
                         service_zip_codes=list(SAN_ANTONIO_ZIPS), operating_hours=OFFICE),
        ),
    )  # fmt: skip
    return evergreen, lone_star, bayside, alamo, mission, hill_country, cibolo

"""The demo pricebook as data: Evergreen Plumbing & HVAC's catalogue (Central Texas prices, 2026), its price
rules, its rate sheet for Sunset Ridge HOA and three job templates. `demo.py` writes them through the services.

Services and labour are not taxable (Texas taxes the materials and equipment of residential repair, not the labour);
materials and equipment are. A bundle's price is its own (a package price under the sum of its parts)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

EVERGREEN = "evergreen-plumbing"
SUNSET = "sunset-ridge-hoa"
VERSION_NAME = "Standard rates"
VERSION_NOTES = "Evergreen's standard price list for residential and community-association work in Central Texas."
TIME_ZONE = "America/Chicago"


@dataclass(frozen=True)
class CategorySpec:
    name: str
    parent: str | None = None
    sort_order: int = 0


CATEGORIES: tuple[CategorySpec, ...] = (
    CategorySpec("Trip & diagnostic fees", sort_order=1),
    CategorySpec("Labor", sort_order=2),
    CategorySpec("Plumbing", sort_order=3),
    CategorySpec("Water heaters", "Plumbing", 1),
    CategorySpec("Drains & sewer", "Plumbing", 2),
    CategorySpec("Fixtures & repairs", "Plumbing", 3),
    CategorySpec("Pipe, valves & fittings", "Plumbing", 4),
    CategorySpec("HVAC", sort_order=4),
    CategorySpec("Tune-ups & maintenance", "HVAC", 1),
    CategorySpec("HVAC repairs & parts", "HVAC", 2),
    CategorySpec("HVAC equipment", "HVAC", 3),
)


@dataclass(frozen=True)
class ItemSpec:
    code: str
    name: str
    kind: str
    unit: str
    cost: str
    price: str
    category: str
    description: str | None = None
    components: tuple[tuple[str, str], ...] = ()
    """A bundle's (code, quantity)."""

    @property
    def taxable(self) -> bool:
        return self.kind in ("MATERIAL", "EQUIPMENT", "BUNDLE")


def _s(
    code: str, name: str, unit: str, cost: str, price: str, category: str, description: str | None = None
) -> ItemSpec:
    return ItemSpec(code, name, "SERVICE", unit, cost, price, category, description)


def _m(code: str, name: str, unit: str, cost: str, price: str, category: str) -> ItemSpec:
    return ItemSpec(code, name, "MATERIAL", unit, cost, price, category)


FEES, LABOR, HEATERS, DRAINS, FIXTURES, PIPE = (
    "Trip & diagnostic fees", "Labor", "Water heaters", "Drains & sewer", "Fixtures & repairs",
    "Pipe, valves & fittings",
)  # fmt: skip
TUNE_UPS, HVAC_REPAIRS, HVAC_EQUIPMENT = "Tune-ups & maintenance", "HVAC repairs & parts", "HVAC equipment"

ITEMS: tuple[ItemSpec, ...] = (
    _s("SVC-CALL", "Service call / trip charge", "VISIT", "25.00", "89.00", FEES, "Applied to the repair if approved."),
    _s("DIAG-PLB", "Plumbing diagnostic", "EACH", "30.00", "99.00", FEES),
    _s("DIAG-HVAC", "HVAC system diagnostic", "EACH", "35.00", "129.00", FEES),
    _s("EMER-CALL", "Emergency dispatch", "VISIT", "60.00", "195.00", FEES, "24/7 emergency line, on site in 2 hours."),
    ItemSpec("LAB-JP", "Journeyman plumber hour", "LABOR", "HOUR", "42.00", "125.00", LABOR),
    ItemSpec("LAB-MP", "Master plumber hour", "LABOR", "HOUR", "55.00", "165.00", LABOR),
    ItemSpec("LAB-APP", "Apprentice / helper hour", "LABOR", "HOUR", "22.00", "65.00", LABOR),
    ItemSpec("LAB-HVAC", "HVAC technician hour", "LABOR", "HOUR", "45.00", "135.00", LABOR),
    _s("WH-50-GAS", "Water heater replacement 50 gal (gas)", "JOB", "1150.00", "2195.00", HEATERS,
       "Remove and haul away the old heater; set a 50-gallon atmospheric-vent gas heater; new gas flex and venting."),
    _s("WH-40-GAS", "Water heater replacement 40 gal (gas)", "JOB", "1050.00", "1950.00", HEATERS),
    _s("WH-50-ELEC", "Water heater replacement 50 gal (electric)", "JOB", "950.00", "1795.00", HEATERS),
    _s("WH-TANKLESS", "Tankless water heater installation", "JOB", "2300.00", "4495.00", HEATERS,
       "Condensing gas tankless unit, venting and gas line upsizing up to 20 ft."),
    _s("WH-FLUSH", "Water heater flush and inspection", "EACH", "20.00", "149.00", HEATERS),
    _s("WH-ANODE", "Anode rod replacement", "EACH", "45.00", "189.00", HEATERS),
    _s("DRN-CLEAR", "Drain clearing, sink or tub", "EACH", "20.00", "175.00", DRAINS),
    _s("DRN-MAIN", "Main line cleanout (cable)", "EACH", "60.00", "375.00", DRAINS,
       "From an accessible cleanout, up to 100 ft."),
    _s("DRN-CAMERA", "Sewer camera inspection", "EACH", "40.00", "295.00", DRAINS, "With a video of the line."),
    _s("DRN-HYDRO", "Hydro-jetting, main line", "EACH", "150.00", "650.00", DRAINS),
    _s("FIX-TOILET", "Toilet rebuild (fill valve and flapper)", "EACH", "25.00", "165.00", FIXTURES),
    _s("FIX-TOILET-NEW", "Toilet replacement (standard height)", "EACH", "260.00", "545.00", FIXTURES),
    _s("FIX-FAUCET", "Kitchen faucet replacement (labour)", "EACH", "30.00", "225.00", FIXTURES),
    _s("FIX-DISPOSAL", "Garbage disposal replacement 1/2 HP", "EACH", "140.00", "395.00", FIXTURES),
    _s("FIX-PRV", "Pressure reducing valve replacement", "EACH", "180.00", "595.00", FIXTURES),
    _s("FIX-SLAB", "Slab leak detection", "EACH", "80.00", "450.00", FIXTURES, "Electronic and acoustic detection."),
    _s("FIX-SHUTOFF", "Main shut-off valve replacement", "EACH", "90.00", "425.00", FIXTURES),
    _m("CU-34", '3/4" copper pipe, type L, per foot', "FOOT", "4.10", "8.75", PIPE),
    _m("CU-12", '1/2" copper pipe, type L, per foot', "FOOT", "2.60", "5.50", PIPE),
    _m("PEX-34", '3/4" PEX-A tubing, per foot', "FOOT", "0.85", "2.25", PIPE),
    _m("PEX-12", '1/2" PEX-A tubing, per foot', "FOOT", "0.55", "1.60", PIPE),
    _m("PVC-3", '3" PVC DWV pipe, per foot', "FOOT", "2.10", "4.95", PIPE),
    _m("VLV-BALL-34", '3/4" brass ball valve', "EACH", "14.00", "38.00", PIPE),
    _m("SUPPLY-LINE", "Braided supply line, 20 in.", "EACH", "6.00", "18.00", PIPE),
    _m("WAX-RING", "Toilet wax ring with bolts", "EACH", "4.00", "14.00", FIXTURES),
    _m("FLAPPER-KIT", "Toilet flapper and fill valve kit", "EACH", "12.00", "36.00", FIXTURES),
    _m("EXP-TANK", "Thermal expansion tank, 2 gal", "EACH", "45.00", "129.00", HEATERS),
    _s("HVAC-TUNE-AC", "AC tune-up (cooling season)", "EACH", "35.00", "149.00", TUNE_UPS,
       "21-point inspection: refrigerant pressures, electrical, coils, condensate line, airflow."),
    _s("HVAC-TUNE-FURN", "Furnace safety inspection", "EACH", "35.00", "139.00", TUNE_UPS),
    _s("HVAC-COIL", "Evaporator coil cleaning", "EACH", "60.00", "289.00", TUNE_UPS),
    _s("HVAC-CAP", "Capacitor replacement (dual run)", "EACH", "25.00", "245.00", HVAC_REPAIRS),
    _s("HVAC-CONTACTOR", "Contactor replacement", "EACH", "20.00", "225.00", HVAC_REPAIRS),
    _m("HVAC-R410A", "Refrigerant R-410A, per pound", "POUND", "28.00", "95.00", HVAC_REPAIRS),
    _m("HVAC-FILTER", "Pleated air filter 16x25x1, MERV 11", "EACH", "6.00", "24.00", TUNE_UPS),
    _s("HVAC-TSTAT", "Smart thermostat installation", "EACH", "140.00", "375.00", HVAC_REPAIRS),
    ItemSpec("EQ-AC-3T", "3-ton 16 SEER2 condenser and coil", "EQUIPMENT", "EACH", "3900.00", "6850.00",
             HVAC_EQUIPMENT),
    ItemSpec("EQ-FURN-80", "80,000 BTU 96% gas furnace", "EQUIPMENT", "EACH", "2100.00", "3895.00", HVAC_EQUIPMENT),
    ItemSpec("EQ-DEHUM", "Whole-home dehumidifier, 70 pint", "EQUIPMENT", "EACH", "1350.00", "2450.00",
             HVAC_EQUIPMENT),
    ItemSpec("BDL-WH-50", "Water heater 50 gal gas, complete", "BUNDLE", "JOB", "1290.00", "2495.00", HEATERS,
             "Heater, expansion tank, two shut-off valves and supply lines, haul-away.",
             (("WH-50-GAS", "1"), ("EXP-TANK", "1"), ("VLV-BALL-34", "2"), ("SUPPLY-LINE", "2"))),
    ItemSpec("BDL-TOILET", "Toilet rebuild, parts included", "BUNDLE", "EACH", "43.00", "189.00", FIXTURES, None,
             (("FIX-TOILET", "1"), ("FLAPPER-KIT", "1"), ("SUPPLY-LINE", "1"))),
    ItemSpec("BDL-AC-SPRING", "Spring AC maintenance package", "BUNDLE", "EACH", "47.00", "169.00", TUNE_UPS,
             "A tune-up and two filters.", (("HVAC-TUNE-AC", "1"), ("HVAC-FILTER", "2"))),
    ItemSpec("BDL-REPIPE-BATH", "Bathroom repipe in PEX, per bathroom", "BUNDLE", "JOB", "372.00", "1850.00", PIPE,
             "Supply lines from the manifold to one bathroom's fixtures.",
             (("PEX-34", "20"), ("PEX-12", "40"), ("VLV-BALL-34", "2"), ("LAB-JP", "6"))),
)  # fmt: skip


@dataclass(frozen=True)
class TemplateSpec:
    name: str
    trade: str
    description: str
    items: tuple[tuple[str, str], ...]
    steps: tuple[tuple[str, bool], ...]
    """(text, required)."""


TEMPLATES: tuple[TemplateSpec, ...] = (
    TemplateSpec(
        "Water heater replacement, 50 gal gas", "PLUMBING", "Swap a failed tank heater for a new 50-gallon gas unit.",
        (("BDL-WH-50", "1"), ("LAB-APP", "2")),
        (("Confirm gas type, venting and clearances with the customer", True),
         ("Shut off gas and water; drain the old heater", True),
         ("Set the new heater and expansion tank; connect water and gas", True),
         ("Leak-test every gas connection with solution", True),
         ("Fill, light and set the thermostat to 120 °F", True),
         ("Photograph the install and the data plate", True),
         ("Register the warranty with the manufacturer", False)),
    ),
    TemplateSpec(
        "Spring AC tune-up", "HVAC", "The cooling-season tune-up, with filters.",
        (("BDL-AC-SPRING", "1"),),
        (("Check thermostat operation and set points", True), ("Replace the air filter", True),
         ("Measure refrigerant pressures, superheat and subcooling", True),
         ("Test the capacitor and contactor", True), ("Rinse the condenser coil", True),
         ("Flush the condensate line", True), ("Record the readings on the service report", True),
         ("Offer the Comfort Club membership", False)),
    ),
    TemplateSpec(
        "Main line stoppage", "PLUMBING", "Clear a main sewer stoppage and find out why it happened.",
        (("DRN-MAIN", "1"), ("DRN-CAMERA", "1")),
        (("Locate and open the cleanout", True), ("Cable the line to the tap", True),
         ("Run water for five minutes to confirm flow", True), ("Camera the line and save the video", True),
         ("Recommend a repair if roots or a belly show on camera", False), ("Clean the work area", True)),
    ),
)  # fmt: skip

WEEKDAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY")
PIPE_CODES = ("CU-34", "CU-12", "PEX-34", "PEX-12", "PVC-3")

SPRING_SPECIAL = {
    "name": "Spring HVAC tune-up special", "kind": "SEASONAL", "percent": Decimal("15"),
    "starts_on": "2026-03-01", "ends_on": "2026-05-31", "yearly": True, "time_zone": TIME_ZONE,
}  # fmt: skip
"""Every spring, 15 % off tune-ups and maintenance (the category is named by `demo.py`)."""
AFTER_HOURS = {
    "name": "After-hours and weekend labour (time and a half)", "kind": "AFTER_HOURS", "percent": Decimal("50"),
    "weekdays": list(WEEKDAYS), "window_start": "07:00", "window_end": "18:00", "outside_window": True,
    "time_zone": TIME_ZONE,
}  # fmt: skip
"""Outside Monday to Friday 7:00 to 18:00 (Evergreen's operating hours), 50 % on labour (the Labor category)."""
MEMBER = {"name": "Comfort Club member discount", "kind": "MEMBER_DISCOUNT", "percent": Decimal("15")}
VOLUME = {
    "name": "Pipe by the hundred feet", "kind": "VOLUME", "percent": Decimal("10"), "min_quantity": Decimal("100"),
    "item_codes": list(PIPE_CODES),
}  # fmt: skip
RATE_SHEET_NAME = "Sunset Ridge HOA contract rates"
RATE_SHEET: tuple[tuple[str, str | None, str | None], ...] = (
    ("SVC-CALL", "69.00", None),
    ("DIAG-PLB", "79.00", None),
    ("LAB-JP", "110.00", None),
    ("LAB-MP", "145.00", None),
    ("DRN-CLEAR", None, "10"),
    ("DRN-MAIN", "325.00", None),
    ("FIX-TOILET", "145.00", None),
    ("WH-FLUSH", None, "20"),
    ("HVAC-TUNE-AC", "129.00", None),
)
"""(code, fixed price, discount percent): the association's contract prices for common-area work."""


# --- Cibolo Creek Roofing (journey 5's roofer) --------------------------------------------------------------------

CIBOLO = "cibolo-roofing"
ROOFING_VERSION_NAME = "Roofing rates 2026"
ROOFING_VERSION_NOTES = "Cibolo Creek Roofing's prices for shingle repairs, underlayment and gutters in San Antonio."
ROOF_REPAIR, ROOF_LABOR, ROOF_MATERIALS, GUTTERS = "Roof repair", "Roofing labor", "Roofing materials", "Gutters"
ROOFING_CATEGORIES: tuple[CategorySpec, ...] = (
    CategorySpec(ROOF_REPAIR, sort_order=1),
    CategorySpec(ROOF_LABOR, sort_order=2),
    CategorySpec(ROOF_MATERIALS, sort_order=3),
    CategorySpec(GUTTERS, sort_order=4),
)
ROOFING_ITEMS: tuple[ItemSpec, ...] = (
    ItemSpec("RF-INSPECT", "Roof inspection and leak diagnosis", "SERVICE", "JOB", "45.00", "185.00", ROOF_REPAIR),
    ItemSpec("RF-LAB", "Roofer hour", "LABOR", "HOUR", "38.00", "95.00", ROOF_LABOR),
    ItemSpec("RF-LAB-HELP", "Roofing helper hour", "LABOR", "HOUR", "22.00", "55.00", ROOF_LABOR),
    ItemSpec("RF-SHINGLE", "Architectural shingles, bundle", "MATERIAL", "EACH", "32.00", "52.00", ROOF_MATERIALS),
    ItemSpec("RF-FLASH", "Step and counter flashing kit", "MATERIAL", "EACH", "28.00", "68.00", ROOF_MATERIALS),
    ItemSpec("RF-BOOT", "Lead pipe boot", "MATERIAL", "EACH", "9.00", "24.00", ROOF_MATERIALS),
    ItemSpec("RF-UNDERLAY", "Synthetic underlayment, 10-square roll", "MATERIAL", "ROLL", "65.00", "119.00",
             ROOF_MATERIALS),
    ItemSpec("RF-DECK", "Roof decking, 7/16 in. OSB sheet", "MATERIAL", "EACH", "18.00", "46.00", ROOF_MATERIALS),
    ItemSpec("RF-DRIP", "Drip edge, 10 ft", "MATERIAL", "EACH", "6.50", "16.00", ROOF_MATERIALS),
    ItemSpec("RF-SEAL", "Roof sealant, tube", "MATERIAL", "EACH", "5.00", "14.00", ROOF_MATERIALS),
    ItemSpec("GT-SEAMLESS", "Seamless aluminum gutter, per foot", "MATERIAL", "FOOT", "3.20", "11.50", GUTTERS),
    ItemSpec("GT-GUARD", "Gutter guard, per foot", "MATERIAL", "FOOT", "2.10", "7.75", GUTTERS),
)  # fmt: skip
ROOF_LEAK_REPAIR = "Roof leak repair"
ROOFING_TEMPLATES: tuple[TemplateSpec, ...] = (
    TemplateSpec(
        ROOF_LEAK_REPAIR, "ROOFING", "Find and fix a roof leak: flashing, pipe boots and the damaged shingles.",
        (("RF-INSPECT", "1"), ("RF-LAB", "3"), ("RF-SHINGLE", "2"), ("RF-FLASH", "1"), ("RF-SEAL", "2")),
        (("Photograph the stain inside and the roof above it", True),
         ("Remove the damaged shingles and probe the decking", True),
         ("Replace the flashing and pipe boots around the penetration", True),
         ("Shingle over the repair and seal the exposed nails", True),
         ("Water-test the repair with a hose for ten minutes", True),
         ("Sweep the yard for nails with the magnet", True),
         ("Recommend a full inspection if the decking is soft", False)),
    ),
)  # fmt: skip

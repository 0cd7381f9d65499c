"""Pricebook (P2.3): a contractor's catalogue. Categories; versions (DRAFT → PUBLISHED → ACTIVE → RETIRED,
`lifecycle`) of items (SERVICE, LABOR, MATERIAL, EQUIPMENT, BUNDLE) and job templates, frozen once published; price
rules (seasonal, volume, after-hours, per-association rate sheets, member discounts) applied in the order `pricing`
states, with its rounding (ROUND_HALF_UP to cents at each step and line)."""

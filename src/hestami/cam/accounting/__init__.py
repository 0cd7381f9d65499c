"""CDM domain 2: fund accounting for associations (GL, journal entries, assessments, AR, AP, banks, reports)."""

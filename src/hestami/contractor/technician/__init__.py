"""Workforce (P2.2): technicians, their skills, certifications, shifts, time off and territories, and the
eligibility check dispatch calls."""

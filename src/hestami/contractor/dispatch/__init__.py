"""Dispatch (P2.5): technicians assigned to job visits in schedule slots, the board, SLA windows, and the day's
route optimization (`routing`, over travel times from `travel`)."""

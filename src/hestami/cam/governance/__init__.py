"""Domain 8: governance — boards, meetings, votes, resolutions and policies."""

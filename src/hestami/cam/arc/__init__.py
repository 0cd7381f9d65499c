"""Domain 5: architectural review — owners ask to change their homes, committees review, decisions bind."""

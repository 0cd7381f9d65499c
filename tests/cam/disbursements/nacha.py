"""A small NACHA parser for the tests: every record 94 characters, the file a multiple of 10 records (padded with
9s), entries between a batch header and its control, and the batch and file controls' counts, entry hashes
(receiving banks' 8-digit ids summed, last 10 digits) and credit totals checked against the entries."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass
class Entry:
    transaction_code: str
    routing_number: str
    account_number: str
    amount: Decimal
    identification: str
    name: str
    trace_number: str


@dataclass
class Batch:
    company_name: str
    company_identification: str
    sec_code: str
    effective_date: str
    odfi: str
    number: int
    entries: list[Entry] = field(default_factory=list)


@dataclass
class NachaFile:
    immediate_destination: str
    immediate_origin: str
    batches: list[Batch]

    @property
    def entries(self) -> list[Entry]:
        return [entry for batch in self.batches for entry in batch.entries]

    @property
    def total_credit(self) -> Decimal:
        return sum((entry.amount for entry in self.entries), Decimal("0.00"))


def _amount(text: str) -> Decimal:
    return Decimal(int(text)) / 100


def _check_digit(routing8: str) -> int:
    weights = (3, 7, 1, 3, 7, 1, 3, 7)
    return (10 - sum(int(d) * w for d, w in zip(routing8, weights, strict=True)) % 10) % 10


def parse(text: str) -> NachaFile:
    lines = text.split("\n")
    assert lines[-1] == "", "the file ends with a newline"
    records = lines[:-1]
    assert all(len(r) == 94 for r in records), [len(r) for r in records]
    assert len(records) % 10 == 0, len(records)
    assert records[0][0] == "1"
    assert records[0][34:37] == "094"
    assert records[0][37:39] == "10"
    header = records[0]
    batches: list[Batch] = []
    current: Batch | None = None
    file_control: str | None = None
    for record in records[1:]:
        kind = record[0]
        if kind == "5":
            assert current is None
            current = Batch(record[4:20].strip(), record[40:50], record[50:53], record[69:75], record[79:87],
                            int(record[87:94]))  # fmt: skip
        elif kind == "6":
            assert current is not None
            routing = record[3:11] + record[11]
            assert int(record[11]) == _check_digit(record[3:11]), routing
            current.entries.append(Entry(record[1:3], routing, record[12:29].strip(), _amount(record[29:39]),
                                         record[39:54].strip(), record[54:76].strip(), record[79:94]))  # fmt: skip
            assert record[78] == "0"
        elif kind == "8":
            assert current is not None
            assert int(record[4:10]) == len(current.entries)
            entry_hash = sum(int(e.routing_number[:8]) for e in current.entries) % 10**10
            assert int(record[10:20]) == entry_hash
            assert _amount(record[20:32]) == 0
            assert _amount(record[32:44]) == sum((e.amount for e in current.entries), Decimal(0))
            assert record[44:54] == current.company_identification
            assert int(record[87:94]) == current.number
            batches.append(current)
            current = None
        elif kind == "9" and file_control is None:
            file_control = record
        else:
            assert record == "9" * 94, record
    assert current is None
    assert file_control is not None
    entries = [e for b in batches for e in b.entries]
    assert int(file_control[1:7]) == len(batches)
    assert int(file_control[7:13]) == len(records) // 10
    assert int(file_control[13:21]) == len(entries)
    assert int(file_control[21:31]) == sum(int(e.routing_number[:8]) for e in entries) % 10**10
    assert _amount(file_control[31:43]) == 0
    assert _amount(file_control[43:55]) == sum((e.amount for e in entries), Decimal(0))
    return NachaFile(header[3:13].strip(), header[13:23], batches)

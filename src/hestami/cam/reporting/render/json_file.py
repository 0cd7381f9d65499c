"""JSON: the report as one object, written piece by piece (a streamed table's rows go out as they come).

    {"title", "subtitle", "summary": {name: value},
     "tables": [{"key", "title", "columns": [{"key", "title", "kind"}], "rows": [[...]], "totals": [...] | null}],
     "charts": [{"key", "title", "kind", "categories", "series": [{"name", "values"}], "y_label"}]}

Decimals are strings with their places ("1250.00"), dates and datetimes ISO 8601. One row a line.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

from hestami.cam.reporting.definitions import Chart, ReportData, Table
from hestami.cam.reporting.render.values import json_value


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def _chart(chart: Chart) -> dict[str, Any]:
    return {
        "key": chart.key,
        "title": chart.title,
        "kind": chart.kind,
        "categories": list(chart.categories),
        "series": [{"name": s.name, "values": [json_value(v) for v in s.values]} for s in chart.series],
        "y_label": chart.y_label,
    }


class JsonSink:
    content_type = "application/json"
    extension = "json"
    max_rows: int | None = None

    def __init__(self, path: Path) -> None:
        self._path = path
        self._file: IO[str] | None = None
        self._first_table = True
        self._first_row = True

    @property
    def _out(self) -> IO[str]:
        assert self._file is not None, "the sink is not started"
        return self._file

    def start(self, data: ReportData) -> None:
        self._file = self._path.open("w", encoding="utf-8", newline="\n")
        summary = {str(name): json_value(value) for name, value in data.summary.items()}
        self._out.write(
            f'{{"title":{_dumps(data.title)},"subtitle":{_dumps(data.subtitle)},"summary":{_dumps(summary)},"tables":['
        )

    def open_table(self, table: Table) -> None:
        columns = [{"key": c.key, "title": c.title, "kind": c.kind} for c in table.columns]
        self._out.write(
            ("" if self._first_table else ",")
            + f'\n{{"key":{_dumps(table.key)},"title":{_dumps(table.title)},"columns":{_dumps(columns)},"rows":['
        )
        self._first_table = False
        self._first_row = True

    def row(self, values: Sequence[Any]) -> None:
        self._out.write(("\n" if self._first_row else ",\n") + _dumps([json_value(v) for v in values]))
        self._first_row = False

    def close_table(self, table: Table, *, truncated: bool) -> None:
        totals = None if table.totals is None else [json_value(v) for v in table.totals]
        self._out.write(f'],"totals":{_dumps(totals)}}}')

    def finish(self, data: ReportData) -> None:
        self._out.write(f'],"charts":{_dumps([_chart(c) for c in data.charts])}}}\n')
        self._out.close()

    def discard(self) -> None:
        if self._file is not None:
            self._file.close()
        self._path.unlink(missing_ok=True)

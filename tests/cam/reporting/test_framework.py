"""The report framework with test-only definitions: generate → QUEUED → COMPLETED with the file stored as a
document and downloadable; bad parameters refused with their path; a failing definition ends FAILED with a code
(a platform error's code and message; anything else INTERNAL_ERROR without its internals); another organization's
association and run are NOT_FOUND."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from tests.cam.documents.helpers import fetch
from tests.cam.reporting.framework_support import BROKEN, REFUSING, ROWS, TINY, Hoa, hoa
from tests.support.serve import scoped_rows


@pytest.fixture(scope="module")
async def place(shared_client: httpx.AsyncClient) -> Hoa:
    return await hoa(shared_client, "Framework")


async def generate(place: Hoa, report: str = TINY, fmt: str = "JSON", **parameters: Any) -> dict[str, Any]:
    body = {"report": report, "format": fmt, "parameters": {"association_id": place.association_id, **parameters}}
    run: dict[str, Any] = await place.ok("report/v1/generate", body)
    return run


async def test_definitions_list_the_registered_reports_with_their_parameters(place: Hoa) -> None:
    found = {d["key"]: d for d in (await place.ok("report/v1/definitions", {}))["items"]}
    tiny = found[TINY]
    assert (tiny["category"], tiny["scope"]) == ("FINANCIAL", "ASSOCIATION")
    assert "association_id" in tiny["parameters"]["properties"]
    assert tiny["parameters"]["required"] == ["association_id"]


async def test_generate_completes_and_downloads_the_stored_file(
    place: Hoa, shared_client: httpx.AsyncClient, stack_env: dict[str, str]
) -> None:
    run = await generate(place)
    assert run["status"] == "QUEUED"
    assert run["workflow_id"] == f"reportRun:{run['id']}:generation:v1"
    done = await place.finished(run["id"])
    assert done["status"] == "COMPLETED", done
    assert done["row_count"] == len(ROWS) == done["rows_written"]
    assert done["size_bytes"] > 0
    assert done["document_id"]
    assert done["file_name"].endswith(".json")
    link = await place.ok("report/v1/download", {"id": run["id"]})
    got = await fetch(shared_client, link["url"])
    assert got.status_code == 200
    assert len(got.content) == done["size_bytes"]
    content = json.loads(got.content)
    assert "Tiny report of" in json.dumps(content)
    assert "75.50" in got.text
    assert "326.75" in got.text

    documents = scoped_rows(
        stack_env, place.org, "SELECT scope_type, scope_id, category, visibility FROM documents WHERE id = :id",
        id=done["document_id"],
    )  # fmt: skip
    assert [(d.scope_type, str(d.scope_id), d.category, d.visibility) for d in documents] == [
        ("REPORT_RUN", run["id"], "FINANCIAL_REPORT", "BOARD")
    ]
    listed = await place.ok("report/v1/list", {"association_id": place.association_id, "report": TINY})
    assert run["id"] in [r["id"] for r in listed["items"]]
    assert run["id"] not in [r["id"] for r in (await place.ok("report/v1/list", {"status": "FAILED"}))["items"]]


@pytest.mark.parametrize("fmt", ["CSV", "XLSX", "PDF"])
async def test_every_format_is_stored(place: Hoa, fmt: str) -> None:
    done = await place.finished((await generate(place, fmt=fmt))["id"])
    assert done["status"] == "COMPLETED", done
    assert done["file_name"].endswith(f".{fmt.lower()}")


async def test_bad_parameters_are_refused_with_their_path(place: Hoa) -> None:
    body = {"report": TINY, "format": "JSON", "parameters": {"association_id": "not-a-uuid"}}
    error = await place.fails("report/v1/generate", body, 400, "VALIDATION_FAILED")
    assert [f["field"] for f in error["field_errors"]] == ["/parameters/association_id"]
    body["parameters"] = {"association_id": place.association_id, "surprise": 1}
    error = await place.fails("report/v1/generate", body, 400, "VALIDATION_FAILED")
    assert [f["field"] for f in error["field_errors"]] == ["/parameters/surprise"]
    body = {"report": "no_such_report", "parameters": {}}
    assert (await place.fails("report/v1/generate", body, 404, "NOT_FOUND"))["details"]["reason"] == "UNKNOWN_REPORT"


async def test_a_failing_definition_ends_failed_with_its_code(place: Hoa) -> None:
    broken = await place.finished((await generate(place, BROKEN))["id"])
    assert (broken["status"], broken["error_code"]) == ("FAILED", "INTERNAL_ERROR")
    assert "secret" not in broken["error_message"]
    refusing = await place.finished((await generate(place, REFUSING))["id"])
    assert (refusing["status"], refusing["error_code"]) == ("FAILED", "BUSINESS_RULE_VIOLATION")
    assert refusing["error_message"] == "The books are not closed."
    error = await place.fails("report/v1/download", {"id": refusing["id"]}, 422)
    assert error["details"]["reason"] == "NOT_COMPLETED"


async def test_another_organizations_association_and_run_are_not_found(
    place: Hoa, shared_client: httpx.AsyncClient
) -> None:
    other = await hoa(shared_client, "Elsewhere")
    body = {"report": TINY, "format": "JSON", "parameters": {"association_id": other.association_id}}
    await place.fails("report/v1/generate", body, 404, "NOT_FOUND")
    theirs = await generate(other)
    await place.fails("report/v1/get", {"id": theirs["id"]}, 404, "NOT_FOUND")
    await place.fails("report/v1/download", {"id": theirs["id"]}, 404, "NOT_FOUND")
    assert theirs["id"] not in [r["id"] for r in (await place.ok("report/v1/list", {}))["items"]]

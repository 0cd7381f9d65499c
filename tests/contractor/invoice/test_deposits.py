"""Deposits and progress billings are never billed twice, under concurrency too: a FINAL invoice credits exactly the
issued ones, and is refused while one is a draft; once the FINAL exists no deposit or progress billing is made or
issued. The job's invoicing lock orders the requests: whichever comes second sees what the first committed."""

from __future__ import annotations

import asyncio
from decimal import Decimal
from typing import Any

import httpx
import pytest

from tests.contractor.invoice.helpers import Books, accepted, books, completed_job, option
from tests.support.rpc import post

pytestmark = pytest.mark.usefixtures("unthrottled")
ROUNDS = 3


@pytest.fixture(scope="module")
async def b(shared_client: httpx.AsyncClient) -> Books:
    return await books(shared_client, "Deposits")


async def at_once(b: Books, *calls: tuple[str, dict[str, Any]]) -> list[httpx.Response]:
    return list(await asyncio.gather(*(post(b.force.client, b.manager, b.org, path, body) for path, body in calls)))


def reason(answer: httpx.Response) -> str:
    return str(answer.json()["error"]["details"]["reason"])


async def test_issuing_a_deposit_while_the_final_is_made(b: Books, monkeypatch: pytest.MonkeyPatch) -> None:
    """Either the deposit is issued first and the FINAL credits it, or the FINAL meets it as a draft and is refused;
    never a FINAL without the credit of an issued deposit."""
    for _ in range(ROUNDS):
        job = await completed_job(b)
        with accepted({job["id"]: option(job["id"])}, monkeypatch):
            deposit = await b.invoice(job["id"], "DEPOSIT", percent="25")
            issued, final = await at_once(
                b, ("invoice/v1/issue", {"id": deposit["id"]}), ("invoice/v1/createFromJob", {"job_id": job["id"]})
            )
        assert issued.status_code == 200, issued.text
        assert issued.json()["data"]["status"] == "ISSUED"
        if final.status_code == 200:
            credits = [x["total"] for x in final.json()["data"]["lines"] if x["source"] == "DEPOSIT_CREDIT"]
            assert credits == [f"-{deposit['total']}"]
        else:  # which one comes first is the scheduler's; both outcomes are consistent
            assert (final.status_code, reason(final)) == (422, "UNISSUED_SHARE")


async def test_a_deposit_and_the_final_asked_at_once(b: Books, monkeypatch: pytest.MonkeyPatch) -> None:
    """One of them is made: the FINAL refuses a draft deposit, and a deposit is refused once the FINAL exists."""
    for _ in range(ROUNDS):
        job = await completed_job(b)
        with accepted({job["id"]: option(job["id"])}, monkeypatch):
            deposit, final = await at_once(
                b,
                ("invoice/v1/createFromJob", {"job_id": job["id"], "kind": "DEPOSIT", "percent": "20"}),
                ("invoice/v1/createFromJob", {"job_id": job["id"]}),
            )
        codes = sorted((deposit.status_code, final.status_code))
        assert codes == [200, 422], (deposit.text, final.text)
        refused = final if final.status_code == 422 else deposit
        assert reason(refused) == ("UNISSUED_SHARE" if refused is final else "FINAL_EXISTS")
        page = await b.ok("invoice/v1/list", {"job_id": job["id"]})
        assert len(page["items"]) == 1


async def test_the_final_credits_neither_drafts_nor_void_invoices(b: Books, monkeypatch: pytest.MonkeyPatch) -> None:
    job = await completed_job(b)
    with accepted({job["id"]: option(job["id"])}, monkeypatch):
        voided = await b.issued(job["id"], "DEPOSIT", percent="10")
        await b.ok("invoice/v1/void", {"id": voided["id"], "reason": "Wrong percent"})
        kept = await b.issued(job["id"], "DEPOSIT", percent="15")
        final = await b.invoice(job["id"])
    credits = [(x["description"], Decimal(x["total"])) for x in final["lines"] if x["source"] == "DEPOSIT_CREDIT"]
    assert credits == [(f"Less deposit invoice {kept['number']}", -Decimal(kept["total"]))]

"""A provider's contractor profile and documents, as the tests of either pillar set them up: the profile
(`contractor/profile/v1/upsert`), a licence and general liability insurance (and workers' compensation when
given). Dates None leave that document off file. The same bodies for a served process (`ServedCaller.ok`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

import httpx

from tests.support.accounts import Account
from tests.support.rpc import ok, suffix

FAR = date(2035, 1, 1)


def profile_body(
    trades: Sequence[str] = ("PLUMBING",), zip_codes: Sequence[str] = (), name: str = "Test Contractor"
) -> dict[str, Any]:
    return {"legal_name": name, "trades": list(trades), "service_zip_codes": list(zip_codes)}


def document_calls(
    *,
    license_expires: date | None = FAR,
    insurance_expires: date | None = FAR,
    workers_comp_expires: date | None = None,
    general_liability_limit: str = "1000000.00",
) -> list[tuple[str, dict[str, Any]]]:
    """The (procedure, body) calls that put the documents on file."""
    calls: list[tuple[str, dict[str, Any]]] = []
    if license_expires is not None:
        calls.append(("contractor/license/v1/add", {
            "trade": "PLUMBING", "jurisdiction": "TX", "license_number": f"M-{suffix()}",
            "expires_on": license_expires.isoformat(),
        }))  # fmt: skip
    if insurance_expires is not None:
        calls.append(("contractor/insurance/v1/add", {
            "kind": "GENERAL_LIABILITY", "carrier": "Acme Mutual", "policy_number": f"GL-{suffix()}",
            "per_occurrence_limit": general_liability_limit, "aggregate_limit": general_liability_limit,
            "expires_on": insurance_expires.isoformat(),
        }))  # fmt: skip
    if workers_comp_expires is not None:
        calls.append(("contractor/insurance/v1/add", {
            "kind": "WORKERS_COMPENSATION", "carrier": "Acme Mutual", "policy_number": f"WC-{suffix()}",
            "expires_on": workers_comp_expires.isoformat(),
        }))  # fmt: skip
    return calls


async def contractor_profile(
    client: httpx.AsyncClient,
    who: Account,
    org: str,
    *,
    trades: Sequence[str] = ("PLUMBING",),
    zip_codes: Sequence[str] = (),
    license_expires: date | None = FAR,
    insurance_expires: date | None = FAR,
    workers_comp_expires: date | None = None,
    general_liability_limit: str = "1000000.00",
) -> dict[str, Any]:
    """The provider organization's profile with its documents on file; returns the profile."""
    made = await ok(client, who, org, "contractor/profile/v1/upsert", profile_body(trades, zip_codes))
    for path, body in document_calls(
        license_expires=license_expires, insurance_expires=insurance_expires,
        workers_comp_expires=workers_comp_expires, general_liability_limit=general_liability_limit,
    ):  # fmt: skip
        await ok(client, who, org, path, body)
    return dict(made)


def served_contractor_profile(
    call: Callable[[str, dict[str, Any], str], Any],
    org: str,
    *,
    trades: Sequence[str] = ("PLUMBING",),
    zip_codes: Sequence[str] = (),
    license_expires: date | None = FAR,
    insurance_expires: date | None = FAR,
) -> None:
    """`contractor_profile` through a served process's caller (`ServedCaller.ok`)."""
    call("contractor/profile/v1/upsert", profile_body(trades, zip_codes), org)
    for path, body in document_calls(license_expires=license_expires, insurance_expires=insurance_expires):
        call(path, body, org)

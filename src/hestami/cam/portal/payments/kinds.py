"""The owner portal's payment records as Cerbos sees them (policies/resource/payment_method.yaml,
autopay_enrolment.yaml, payment_gateway_record.yaml).

- A payment method is its owner's alone: `user_id` is the account that stored it (its party's linked user).
- An auto-pay enrolment: `user_id` is the owner who enrolled (they change and cancel it), `owner_user_ids` the
  unit's owners today (they see that the unit is on auto-pay); management reads every enrolment, tokens never.
- A gateway record: `user_id` is the owner whose method the call used; management reads them all.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Text, cast, func

from hestami.cam.association import api as association
from hestami.cam.portal.payments.models import AutopayEnrolment, GatewayRecord, PaymentMethod
from hestami.core.authz import AttrValue
from hestami.core.context import RequestContext
from hestami.core.records import RecordKind


def _user(user_id: Any) -> str:
    return str(user_id) if user_id is not None else ""


async def _unit_owners(ctx: RequestContext, enrolment: AutopayEnrolment) -> dict[str, AttrValue]:
    return {"owner_user_ids": await association.owners_of_unit(ctx, enrolment.unit_id, enrolment.organization_id)}


PAYMENT_METHOD = RecordKind(
    "payment_method",
    PaymentMethod,
    base_attrs=lambda method: {"user_id": _user(method.user_id)},
    columns=lambda: {"user_id": cast(PaymentMethod.user_id, Text)},
    hidden_fields=frozenset({"provider_token"}),
)
AUTOPAY_ENROLMENT = RecordKind(
    "autopay_enrolment",
    AutopayEnrolment,
    attrs=_unit_owners,
    base_attrs=lambda enrolment: {"user_id": _user(enrolment.user_id)},
    columns=lambda: {
        "user_id": cast(AutopayEnrolment.user_id, Text),
        "owner_user_ids": association.unit_owners_column(AutopayEnrolment.unit_id, AutopayEnrolment.organization_id),
    },
)
GATEWAY_RECORD = RecordKind(
    "payment_gateway_record",
    GatewayRecord,
    base_attrs=lambda record: {"user_id": _user(record.user_id)},
    columns=lambda: {"user_id": func.coalesce(cast(GatewayRecord.user_id, Text), "")},
)

"""`GET /api/v1/files/{token}`: redeems a download link the local-disk store signed.

The token alone authorizes the download (it was issued after an authorization check, for minutes), so the route
needs no session: a browser can follow it directly, like an S3 presigned URL. Every failure answers the same
NOT_FOUND, so a caller cannot tell a forged token from an expired one or from a deleted file.
"""

from __future__ import annotations

import time

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from hestami.core.errors import ErrorCode, HestamiError
from hestami.core.rpc.envelope import error_response
from hestami.core.storage import LinkExpired, LinkInvalid, LocalDiskStore, SignedObject, content_disposition

LINK_NOT_FOUND_MESSAGE = "This download link is invalid or has expired."


def _not_found(request: Request) -> Response:
    error = HestamiError(ErrorCode.NOT_FOUND, LINK_NOT_FOUND_MESSAGE)
    return error_response(error, request.state.request_id, request.state.locale)


def download_headers(granted: SignedObject) -> dict[str, str]:
    """Headers that make browsers save the file rather than render it (an upload may be hostile HTML/SVG)."""
    return {
        "Content-Type": granted.content_type,
        "Content-Disposition": content_disposition(granted.file_name),
        "Cache-Control": "private, no-store",
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; sandbox",
    }


async def serve_signed_file(request: Request) -> Response:
    """Streams the object the token grants; only the local-disk store issues such tokens (S3 links go to S3)."""
    store = request.app.state.runtime.files
    if not isinstance(store, LocalDiskStore) or store.signer is None:
        return _not_found(request)
    try:
        granted = store.signer.verify(request.path_params["token"], time.time())
        present = await store.exists(granted.key)
    except (LinkInvalid, LinkExpired, ValueError):  # ValueError: a signed key the store rejects
        return _not_found(request)
    if not present:
        return _not_found(request)
    return StreamingResponse(store.stream(granted.key), headers=download_headers(granted))

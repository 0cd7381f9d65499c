"""The web console (issue 25): the built SvelteKit app (`web/build`, or `WEB_DIR`) served at `/` by the API
process; `/api/...` is never answered here."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import HTMLResponse, Response
from starlette.routing import Match, Mount
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

from hestami.core.config import Settings
from hestami.core.project import ProjectFilesNotFoundError, project_root

WEB_CONSOLE_MISSING = (
    "<!doctype html><title>Hestami</title><h1>The web console is not built</h1>"
    "<p>Run <code>make setup</code> (or <code>npm ci &amp;&amp; npm run build</code> in <code>web/</code>). "
    'The API is at <a href="/api/docs">/api/docs</a>.</p>'
)


class WebConsole(StaticFiles):
    """The built console (`web/build`, or `WEB_DIR`) at `/`: its files, and its index.html for any other path
    that names no file (the single-page app routes in the browser). `/api/...` is never answered here, so an
    unknown API path keeps the API's 404 envelope; without a build, `/` says so."""

    def __init__(self, directory: Path | None) -> None:
        self.root = directory
        super().__init__(directory=directory, html=True, check_dir=False)

    def built(self) -> bool:
        return self.root is not None and (self.root / "index.html").is_file()

    async def check_config(self) -> None:
        if self.built():  # a build may come later: until then `/` says it is missing
            await super().check_config()

    async def get_response(self, path: str, scope: Scope) -> Response:
        if path == "api" or path.startswith("api/"):
            raise StarletteHTTPException(404)
        if not self.built():
            return HTMLResponse(WEB_CONSOLE_MISSING, status_code=404)
        try:
            response = await super().get_response(path, scope)
        except StarletteHTTPException as exc:
            if exc.status_code != 404 or "." in PurePosixPath(path).name:
                raise  # a missing asset stays a 404
            response = await super().get_response("index.html", scope)
        immutable = path.startswith("_app/immutable/")
        response.headers["Cache-Control"] = "public, max-age=31536000, immutable" if immutable else "no-cache"
        return response


class WebConsoleMount(Mount):
    """`/` for the console, matching no `/api` path: the API's own 404 and 405 answers stay as they were."""

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        path = scope.get("path", "")
        if path == "/api" or path.startswith("/api/"):
            return Match.NONE, {}
        return super().matches(scope)


def web_console_dir(settings: Settings) -> Path | None:
    if settings.web_dir:
        return Path(settings.web_dir).expanduser().resolve()
    try:
        return project_root(settings) / "web" / "build"
    except ProjectFilesNotFoundError:
        return None

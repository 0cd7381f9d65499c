"""The web console at `/`: the built SvelteKit app (`WEB_DIR`), its index.html for the routes the browser owns,
and the API at `/api` untouched, with or without a build."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from hestami.app import create_app
from hestami.core import health
from hestami.core.config import Settings
from hestami.core.web_console import web_console_dir

INDEX = "<!doctype html><title>Hestami</title><div id=app></div>"
BUNDLE = "export const start = 1;"


@pytest.fixture
def build(tmp_path: Path) -> Path:
    folder = tmp_path / "build"
    (folder / "_app" / "immutable" / "entry").mkdir(parents=True)
    (folder / "index.html").write_text(INDEX)
    (folder / "_app" / "immutable" / "entry" / "start.js").write_text(BUNDLE)
    (folder / "favicon.svg").write_text("<svg/>")
    return folder


async def _console(web_dir: Path) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(Settings(WEB_DIR=str(web_dir)), routers=[health.router])  # type: ignore[call-arg]
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as http:
        yield http


@pytest.fixture
async def console(build: Path) -> AsyncIterator[httpx.AsyncClient]:
    async for http in _console(build):
        yield http


@pytest.fixture
async def unbuilt(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    async for http in _console(tmp_path / "missing"):
        yield http


@pytest.mark.parametrize("path", ["/", "/login", "/some/route", "/organizations?x=1"])
async def test_every_page_route_is_the_app_shell(console: httpx.AsyncClient, path: str) -> None:
    response = await console.get(path)
    assert response.status_code == 200
    assert response.text == INDEX
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["cache-control"] == "no-cache"


async def test_assets_are_served_and_cached_for_good(console: httpx.AsyncClient) -> None:
    response = await console.get("/_app/immutable/entry/start.js")
    assert response.status_code == 200
    assert response.text == BUNDLE
    assert "javascript" in response.headers["content-type"]
    assert "immutable" in response.headers["cache-control"]
    assert (await console.get("/favicon.svg")).text == "<svg/>"


async def test_a_missing_asset_is_not_found_rather_than_the_shell(console: httpx.AsyncClient) -> None:
    response = await console.get("/_app/immutable/entry/gone.js")
    assert response.status_code == 404
    assert response.text != INDEX


async def test_nothing_outside_the_build_is_served(console: httpx.AsyncClient, build: Path) -> None:
    (build.parent / "secret.txt").write_text("no")
    for path in ("/../secret.txt", "/%2e%2e/secret.txt", "/_app/%2e%2e/%2e%2e/secret.txt"):
        response = await console.get(path)
        assert response.status_code == 404, path
        assert response.text != "no"


@pytest.mark.parametrize("path", ["/api", "/api/nope", "/api/v2/anything.js"])
async def test_unknown_api_paths_keep_the_api_envelope(console: httpx.AsyncClient, path: str) -> None:
    response = await console.get(path)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "NOT_FOUND"


async def test_the_api_documents_are_still_the_api(console: httpx.AsyncClient) -> None:
    document = await console.get("/api/openapi.json")
    assert document.status_code == 200
    assert "/api/v1/rpc/system/v1/health" in document.json()["paths"]
    assert not any(not path.startswith("/api") for path in document.json()["paths"])
    docs = await console.get("/api/docs")
    assert docs.status_code == 200
    assert docs.text != INDEX


async def test_a_wrong_method_on_an_api_route_is_still_refused(console: httpx.AsyncClient) -> None:
    response = await console.post("/api/health")
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "METHOD_NOT_ALLOWED"


async def test_pages_are_read_only(console: httpx.AsyncClient) -> None:
    response = await console.post("/login", content=b"{}")
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "METHOD_NOT_ALLOWED"


async def test_without_a_build_the_root_says_so_and_the_api_answers(unbuilt: httpx.AsyncClient) -> None:
    root = await unbuilt.get("/")
    assert root.status_code == 404
    assert "not built" in root.text
    assert (await unbuilt.get("/some/route")).status_code == 404
    api = await unbuilt.get("/api/nope")
    assert api.json()["error"]["code"] == "NOT_FOUND"
    assert (await unbuilt.get("/api/openapi.json")).status_code == 200


def test_the_build_defaults_to_web_build_in_the_project() -> None:
    folder = web_console_dir(Settings())
    assert folder is not None
    assert folder.parts[-2:] == ("web", "build")
    assert (folder.parent / "package.json").is_file()


def test_web_dir_names_another_build(tmp_path: Path) -> None:
    assert web_console_dir(Settings(WEB_DIR=str(tmp_path))) == tmp_path.resolve()  # type: ignore[call-arg]

"""WireMock, the reference stub server the project's mocks are compared with.

The standalone jar comes from the ``wiremock`` package of the npm registry (which ships it under
``build/``), installed with npm into ``bench/.cache/wiremock/`` on first use; git ignores the
cache. It runs as WireMock's documentation runs it, ``java -jar wiremock-standalone.jar --port N``
with its defaults (request journal on, Jetty's default threads), with one stub mapping in its
``--root-dir``. ``GET /__admin/health`` answers once it serves.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from bench.servers import REPOSITORY, Server, free_port

VERSION = "3.13.2"
CACHE = REPOSITORY / "bench" / ".cache" / "wiremock"
NPM_SECONDS = 600.0
READY_PATH = "/__admin/health"


class WireMockUnavailable(RuntimeError):
    """Java or npm is missing, or the jar could not be installed; the message says which."""


def java() -> str:
    found = shutil.which("java")
    if found is None:
        raise WireMockUnavailable("no java on PATH: WireMock needs a Java runtime (17 or newer)")
    return found


def installed_jar(cache: Path = CACHE) -> Path | None:
    """The standalone jar already in ``cache``, if any."""
    jars = sorted((cache / "node_modules" / "wiremock" / "build").glob("wiremock-standalone-*.jar"))
    return jars[-1] if jars else None


def jar(cache: Path = CACHE) -> Path:
    """The standalone jar, installed into ``cache`` with npm when it is not there yet."""
    found = installed_jar(cache)
    if found is not None:
        return found
    npm = shutil.which("npm")
    if npm is None:
        raise WireMockUnavailable("no npm on PATH: it installs WireMock's jar (package wiremock)")
    cache.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        [npm, "install", "--no-audit", "--no-fund", "--prefix", str(cache), f"wiremock@{VERSION}"],
        capture_output=True,
        text=True,
        timeout=NPM_SECONDS,
        check=False,
    )
    found = installed_jar(cache)
    if done.returncode != 0 or found is None:
        raise WireMockUnavailable(
            f"npm install wiremock@{VERSION} failed: {(done.stderr or done.stdout)[-1000:]}"
        )
    return found


def stub(
    *,
    path: str,
    query: Mapping[str, str],
    body: bytes,
    content_type: str,
    bearer: bool = True,
) -> dict[str, Any]:
    """A mapping answering ``GET path?query`` with ``body`` (UTF-8 text) and 200.

    With ``bearer``, only a request carrying ``Authorization: Bearer ...`` matches (the
    national side refuses others); WireMock answers 404 to a request no mapping matches.
    """
    request: dict[str, Any] = {
        "method": "GET",
        "urlPath": path,
        "queryParameters": {name: {"equalTo": value} for name, value in query.items()},
    }
    if bearer:
        request["headers"] = {"Authorization": {"matches": "Bearer .+"}}
    return {
        "request": request,
        "response": {
            "status": 200,
            "headers": {"Content-Type": content_type},
            "body": body.decode("utf-8"),
        },
    }


def server(root: Path, mapping: Mapping[str, Any], *, log: Path) -> Server:
    """WireMock serving ``mapping`` from ``root`` (its ``mappings/`` folder is written here)."""
    mappings = root / "mappings"
    mappings.mkdir(parents=True, exist_ok=True)
    (mappings / "stub.json").write_text(json.dumps(mapping, ensure_ascii=False, indent=2))
    port = free_port()
    command = [java(), "-jar", str(jar()), "--port", str(port), "--root-dir", str(root)]
    return Server(
        "WireMock",
        [*command, "--disable-banner"],
        port=port,
        log=log,
        ready_path=READY_PATH,
    )

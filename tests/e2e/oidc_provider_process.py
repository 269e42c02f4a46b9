"""panva's ``oidc-provider`` (npm), a real third-party OpenID provider, as a process on loopback;
and a browser's way through its development login and consent pages.

``OidcProviderProcess.start`` installs the Node project in ``tests/e2e/oidc_provider`` (its
``node_modules`` stay there between runs), starts ``provider.mjs`` on a free port and waits until
its discovery document answers. Tests skip only when ``node`` or ``npm`` is missing; CI has both.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import httpx
import pytest

from tests.e2e.servers import free_port

PROJECT = Path(__file__).resolve().parent / "oidc_provider"
SECRET = "lien+thong%2Fsecret/42"
"""The secret of the provider's clients ``basic`` and ``post``: ``+``, ``%2F`` and ``/`` each
read differently unless the client form-encodes them (RFC 6749 §2.3.1)."""


def install() -> None:
    """``npm install`` in the Node project (quick when ``node_modules`` is already there)."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("node and npm are needed to run oidc-provider")
    result = subprocess.run(
        ["npm", "install", "--no-audit", "--no-fund", "--prefer-offline"],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"npm install failed in {PROJECT}:\n{result.stdout}\n{result.stderr}")


class OidcProviderProcess:
    """``provider.mjs`` on ``127.0.0.1:<port>``; ``issuer`` is its address."""

    def __init__(
        self, *, redirect_uris: list[str], client_jwks: Mapping[str, object] | None, log: Path
    ) -> None:
        self.port = free_port()
        self.issuer = f"http://127.0.0.1:{self.port}"
        self._env = {
            **os.environ,
            "PORT": str(self.port),
            "REDIRECT_URIS": ",".join(redirect_uris),
            "CLIENT_SECRET": SECRET,
        }
        if client_jwks is not None:
            self._env["CLIENT_JWKS"] = json.dumps(client_jwks)
        self._log = log
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> OidcProviderProcess:
        install()
        with self._log.open("ab") as log:
            self._process = subprocess.Popen(
                ["node", "provider.mjs"],
                cwd=PROJECT,
                env=self._env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"oidc-provider exited: {self._log.read_text()[-2000:]}")
            try:
                url = f"{self.issuer}/.well-known/openid-configuration"
                if httpx.get(url, timeout=1).status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"oidc-provider did not answer: {self._log.read_text()[-2000:]}")

    def stop(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(timeout=10)


@dataclass
class Form:
    action: str = ""
    fields: dict[str, str] = field(default_factory=dict)


class _FormReader(HTMLParser):
    """The first form of a page: its action, its inputs' names and values, and the name and
    value of the first named button (the one a person presses; it may stand outside the form
    and name it with ``form=``)."""

    def __init__(self) -> None:
        super().__init__()
        self.form: Form | None = None
        self.button: tuple[str, str] | None = None
        self._done = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "form" and self.form is None:
            self.form = Form(action=values.get("action", ""))
        elif tag == "input" and self.form is not None and not self._done and "name" in values:
            self.form.fields[values["name"]] = values.get("value", "")
        elif tag == "button" and self.button is None and "name" in values:
            self.button = (values["name"], values.get("value", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._done = True


def read_form(page: str) -> Form:
    reader = _FormReader()
    reader.feed(page)
    if reader.form is None:
        raise AssertionError(f"the page holds no form: {page[:500]}")
    if reader.button is not None:
        reader.form.fields.setdefault(*reader.button)
    return reader.form


async def through_provider(
    browser: httpx.AsyncClient,
    url: str,
    *,
    account: str,
    back_to: str,
    pages: list[str] | None = None,
) -> httpx.URL:
    """Go to ``url``, follow the provider's redirects and submit its login (as ``account``, any
    password), consent and logout forms, as a person would, until it sends the browser to
    ``back_to``: that URL. ``pages`` records the forms submitted, by their ``prompt`` (or
    ``logout``)."""
    response = await browser.get(url)
    for _ in range(12):
        if response.is_redirect:
            target = response.url.join(response.headers["location"])
            if str(target).startswith(back_to):
                return target
            response = await browser.get(target)
            continue
        assert response.status_code == 200, response.text
        form = read_form(response.text)
        if pages is not None:
            pages.append(
                form.fields.get("prompt") or ("logout" if "logout" in form.fields else "?")
            )
        if "login" in form.fields:
            form.fields.update(login=account, password="any")
        response = await browser.post(response.url.join(form.action), data=form.fields)
    raise AssertionError(f"the provider never sent the browser back to {back_to}")

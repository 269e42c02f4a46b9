"""The reference: a naive FastAPI-to-FastAPI relay, with no validation and no durability.

``POST /relay`` forwards the body as it came to the sink's ``POST /sink`` with httpx and answers
once the sink has. It is what the gateway would cost if it were a mere pass-through: the gap
between the two is the price of validation, the durable store and delivery. Run each side as its
own process: ``python -m bench.relay sink --port P`` and
``python -m bench.relay relay --port Q --sink http://127.0.0.1:P``.
"""

from __future__ import annotations

import argparse
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import uvicorn
from fastapi import FastAPI, Request, Response

HOST = "127.0.0.1"
CONNECTIONS = 100


def create_sink_app() -> FastAPI:
    """Answers 200 to every ``POST /sink``."""
    app = FastAPI()

    @app.get("/")
    async def ready() -> dict[str, str]:
        return {"status": "ok"}

    @app.post("/sink")
    async def sink() -> dict[str, bool]:
        return {"ok": True}

    return app


def create_relay_app(sink_url: str) -> FastAPI:
    """Forwards every ``POST /relay`` body to ``{sink_url}/sink`` over one pooled client."""
    forward: dict[str, httpx.AsyncClient] = {}

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        limits = httpx.Limits(max_connections=CONNECTIONS, max_keepalive_connections=CONNECTIONS)
        async with httpx.AsyncClient(
            base_url=sink_url, limits=limits, timeout=30.0, trust_env=False
        ) as client:
            forward["client"] = client
            yield

    app = FastAPI(lifespan=lifespan)

    @app.get("/")
    async def ready() -> dict[str, str]:
        return {"status": "ok"}

    @app.post("/relay")
    async def relay(request: Request) -> Response:
        answer = await forward["client"].post(
            "/sink", content=await request.body(), headers={"content-type": "application/json"}
        )
        return Response(answer.content, answer.status_code, media_type="application/json")

    return app


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.relay", description=__doc__)
    parser.add_argument("role", choices=["sink", "relay"])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--sink", help="base URL of the sink (for the relay)")
    options = parser.parse_args()
    if options.role == "relay" and not options.sink:
        parser.error("the relay needs --sink URL")
    app = create_sink_app() if options.role == "sink" else create_relay_app(options.sink)
    uvicorn.run(app, host=HOST, port=options.port, log_level="warning", access_log=False)


if __name__ == "__main__":
    main()

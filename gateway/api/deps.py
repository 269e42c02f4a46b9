"""Dependencies the routers declare: the running gateway and its parts.

They are ``async`` so FastAPI calls them on the event loop, not through its thread pool.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from gateway.bootstrap import Gateway
from gateway.store import Store


async def get_gateway(request: Request) -> Gateway:
    gateway: Gateway = request.app.state.gateway
    return gateway


async def get_store(request: Request) -> Store:
    gateway: Gateway = request.app.state.gateway
    return gateway.store


GatewayDep = Annotated[Gateway, Depends(get_gateway)]
StoreDep = Annotated[Store, Depends(get_store)]

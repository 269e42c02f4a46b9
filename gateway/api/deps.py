"""Dependencies the routers declare: the running gateway and its parts."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from gateway.bootstrap import Gateway
from gateway.store import Store


def get_gateway(request: Request) -> Gateway:
    gateway: Gateway = request.app.state.gateway
    return gateway


def get_store(request: Request) -> Store:
    return get_gateway(request).store


GatewayDep = Annotated[Gateway, Depends(get_gateway)]
StoreDep = Annotated[Store, Depends(get_store)]

"""Delivery targets: how the worker hands claimed outbox rows to one national system."""

from __future__ import annotations

from gateway.delivery.target import DeliveryTarget, DossierTarget, Outcome, StateTarget

__all__ = ["DeliveryTarget", "DossierTarget", "Outcome", "StateTarget"]

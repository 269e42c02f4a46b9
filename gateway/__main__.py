"""``python -m gateway`` is the ``lienthong`` command."""

from __future__ import annotations

from gateway.cli import main

main()

"""Where the gateway's time goes while it serves: a pyinstrument session read back and summed.

The gateway runs under ``python -m pyinstrument -r session`` (see ``scenarios.gateway``) and
writes its session when it stops on SIGINT. From that session come the full call tree as text,
the functions heaviest by their own time (time in the function itself, not in what it calls),
and the project's functions heaviest by inclusive time.

Only serving counts: the event loop's run (``asyncio.Runner.run``, uvloop inside) and the
stacks SQLAlchemy runs in greenlets, which pyinstrument shows beside the main stack. Imports and
building the app before uvicorn starts are left out. pyinstrument samples the main thread, so
SQLite's own work in aiosqlite's thread shows only as the event loop waiting.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from pyinstrument.frame import Frame
from pyinstrument.renderers import ConsoleRenderer
from pyinstrument.session import Session

from bench.servers import REPOSITORY

PROJECT = ("gateway/", "adapters/", "mappings/")
EVENT_LOOP = "event loop (uvloop): idle, socket I/O, waiting for the GIL"
RUNNER = ("Runner.run", "asyncio/runners.py")
MAIN_STACK = "_run_module_as_main"

Key = tuple[str, str]


@dataclass(frozen=True, slots=True)
class Hotspot:
    function: str
    location: str
    seconds: float
    share: float
    """Of the time spent serving, 0 to 1."""

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Profile:
    duration_seconds: float
    cpu_seconds: float
    serving_seconds: float
    own_time: list[Hotspot]
    project_inclusive: list[Hotspot]
    packages: list[Hotspot]

    def as_json(self) -> dict[str, Any]:
        return {
            "duration_seconds": round(self.duration_seconds, 3),
            "cpu_seconds": round(self.cpu_seconds, 3),
            "serving_seconds": round(self.serving_seconds, 3),
            "own_time": [h.as_json() for h in self.own_time],
            "project_inclusive": [h.as_json() for h in self.project_inclusive],
            "packages": [h.as_json() for h in self.packages],
        }


def summarise(session_file: Path, report: Path, *, limit: int = 25) -> Profile:
    """Write the call tree of ``session_file`` as text to ``report``; return the hotspots."""
    session = Session.load(session_file)
    renderer = ConsoleRenderer(unicode=False, color=False, show_all=False, short_mode=False)
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text(renderer.render(session))
    own: dict[Key, float] = defaultdict(float)
    inclusive: dict[Key, float] = defaultdict(float)
    packages: dict[Key, float] = defaultdict(float)
    serving = 0.0
    root = session.root_frame(trim_stem=False)
    for top in _serving(root) if root is not None else ():
        serving += top.time
        for frame, around, package in _walk(top):
            key = _key(frame)
            alone = frame.time - sum(c.time for c in frame.children if not c.is_synthetic)
            own[key] += alone
            packages[(package, "")] += alone
            if key[1].startswith(PROJECT) and key not in around:
                inclusive[key] += frame.time
    total = serving or 1.0
    return Profile(
        duration_seconds=session.duration,
        cpu_seconds=session.cpu_time or 0.0,
        serving_seconds=serving,
        own_time=_top(own, total, limit),
        project_inclusive=_top(inclusive, total, limit),
        packages=_top(packages, total, limit),
    )


def _serving(root: Frame) -> Iterator[Frame]:
    """The event loop's runs on the main stack, and every stack beside it (greenlets)."""
    for child in root.children:
        if child.is_synthetic:
            continue
        if child.function == MAIN_STACK:
            yield from _runners(child)
        else:
            yield child


def _runners(frame: Frame) -> Iterator[Frame]:
    stack = [frame]
    while stack:
        current = stack.pop()
        if _is_runner(current):
            yield current
        else:
            stack.extend(current.children)


def _walk(frame: Frame) -> Iterator[tuple[Frame, frozenset[Key], str]]:
    """Every real frame, with the keys of the frames around it (to count recursion once) and
    its package (a built-in function counts for the package that called it)."""
    stack: list[tuple[Frame, frozenset[Key], str]] = [(frame, frozenset(), "?")]
    while stack:
        current, around, caller = stack.pop()
        if current.is_synthetic:
            continue
        package = _package(current) or caller
        yield current, around, package
        inner = around | {_key(current)}
        stack.extend((child, inner, package) for child in current.children)


def _package(frame: Frame) -> str | None:
    if _is_runner(frame):
        return EVENT_LOOP
    path = _path(frame)
    if path.startswith("<") or path == "?":
        return None
    top = path.split("/", 1)[0]
    return top.removesuffix(".py")


def _is_runner(frame: Frame) -> bool:
    return _name(frame) == RUNNER[0] and _path(frame).startswith(RUNNER[1])


def _name(frame: Frame) -> str:
    return f"{frame.class_name}.{frame.function}" if frame.class_name else frame.function


def _key(frame: Frame) -> Key:
    if _is_runner(frame):
        return (EVENT_LOOP, RUNNER[1])
    location = _path(frame)
    if frame.line_no:
        location = f"{location}:{frame.line_no}"
    return (_name(frame), location)


def _path(frame: Frame) -> str:
    """The file as a reader finds it: relative to the checkout, or to site-packages."""
    path = frame.file_path or ""
    if path.startswith(str(REPOSITORY) + "/") and "/site-packages/" not in path:
        return path[len(str(REPOSITORY)) + 1 :]
    if "/site-packages/" in path:
        return path.rsplit("/site-packages/", 1)[1]
    return frame.file_path_short or path or "?"


def _top(times: dict[Key, float], total: float, limit: int) -> list[Hotspot]:
    ranked = sorted(times.items(), key=lambda item: item[1], reverse=True)[:limit]
    return [
        Hotspot(function, location, round(seconds, 3), round(seconds / total, 4))
        for (function, location), seconds in ranked
    ]

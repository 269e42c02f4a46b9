"""What ``lienthong mocks`` serves, from its options: the mocks (perhaps with a scenario file), a
recording proxy, or a replay of a recording. The CLI only passes the options here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from starlette.applications import Starlette

from mocks.app import create_mocks_app, mock_named
from mocks.journal import DEFAULT_CAPACITY
from mocks.recording import STATUS_PATH, create_recording_app, create_replay_app
from mocks.scenario_files import read_scenario


class LaunchError(ValueError):
    """Options that do not go together, or a file that cannot be used; the message says which."""


@dataclass(frozen=True, slots=True)
class Launch:
    app: Starlette
    description: str


def launch(
    *,
    seed: int = 0,
    journal_capacity: int = DEFAULT_CAPACITY,
    scenario: Path | None = None,
    record_from: str | None = None,
    record_to: Path | None = None,
    replay: Path | None = None,
) -> Launch:
    """The app to serve; ``LaunchError`` (or ``ScenarioFileError``) naming what is wrong."""
    recording = record_from is not None or record_to is not None
    if replay is not None and (recording or scenario is not None):
        raise LaunchError("--replay serves a recording alone: not with --record-* or --scenario")
    if recording and scenario is not None:
        raise LaunchError(
            "--record-from proxies a real endpoint: a --scenario has nothing to act on"
        )
    if replay is not None:
        if not replay.is_dir() or not any(replay.glob("*.json")):
            raise LaunchError(f"--replay {replay}: no recorded exchanges (*.json) there")
        return Launch(create_replay_app(replay), f"replaying the exchanges recorded in {replay}")
    if recording:
        if record_from is None or record_to is None:
            raise LaunchError("--record-from and --record-to go together")
        if not record_from.startswith(("http://", "https://")):
            raise LaunchError(f"--record-from {record_from}: not an http(s) URL")
        return Launch(
            create_recording_app(record_from, record_to),
            f"recording {record_from} into {record_to} (personal data replaced; "
            f"GET {STATUS_PATH} says what was saved and refused)",
        )
    parsed = read_scenario(scenario, resolve=mock_named) if scenario is not None else None
    app = create_mocks_app(seed=seed, journal_capacity=journal_capacity, scenario=parsed)
    named = f" with the scenario {scenario}" if scenario is not None else ""
    return Launch(app, f"every national mock{named}")

"""What ``lienthong mocks`` serves for its options, and the options it refuses."""

from __future__ import annotations

from pathlib import Path

import pytest

from mocks.app import admins
from mocks.launch import LaunchError, launch
from mocks.scenario_files import ScenarioFileError

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "scenarios"


def test_a_scenario_is_loaded_and_named() -> None:
    served = launch(scenario=EXAMPLES / "portal-outage.yaml")

    assert len(admins(served.app)["national_portal"].faults) == 2
    assert served.description.endswith("portal-outage.yaml")


def test_a_recording_and_a_replay_are_served(tmp_path: Path) -> None:
    recording = launch(record_from="http://127.0.0.1:9", record_to=tmp_path)
    (tmp_path / "0001-GET-x.json").write_text(
        '{"seq": 1, "method": "GET", "path": "/x", "query": "", "request": {"headers": {},'
        ' "body": ""}, "response": {"status": 204, "headers": {}, "body": ""}}',
        encoding="utf-8",
    )
    replay = launch(replay=tmp_path)

    assert recording.app.state.recorder.directory == tmp_path
    assert replay.description == f"replaying the exchanges recorded in {tmp_path}"


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"record_from": "http://127.0.0.1:9"}, "--record-from and --record-to go together"),
        ({"record_from": "ftp://x", "record_to": Path("r")}, "--record-from ftp://x: not an http"),
        ({"replay": Path("r"), "scenario": Path("s.yaml")}, "--replay serves a recording alone"),
        ({"replay": Path("/nonexistent")}, "--replay /nonexistent: no recorded exchanges"),
    ],
)
def test_options_that_do_not_go_together_are_refused(
    options: dict[str, object], message: str
) -> None:
    with pytest.raises(LaunchError, match=f"^{message}"):
        launch(**options)  # type: ignore[arg-type]


def test_a_missing_scenario_file_is_named() -> None:
    with pytest.raises(ScenarioFileError, match=r"^nowhere\.yaml: cannot be read"):
        launch(scenario=Path("nowhere.yaml"))

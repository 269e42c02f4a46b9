"""Scenario files: YAML checked whole, each error naming the file, line and column at fault."""

from __future__ import annotations

from pathlib import Path

import pytest

from mocks.app import admins, create_mocks_app, mock_named
from mocks.scenario_files import ScenarioFileError, parse_scenario, read_scenario

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "scenarios"


def _started_with(text: str) -> None:
    create_mocks_app(scenario=parse_scenario(text, "s.yaml", resolve=mock_named))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "mocks:\n  national_portal:\n    faults: [{rate: 2, status: 500}]\n",
            "s.yaml:3:21: mocks.national_portal.faults[0].rate: 2 is greater than the maximum of 1",
        ),
        (
            "mocks:\n  portal:\n    faults: []\n",
            "s.yaml:2:3: mocks.portal: no mock of that name or path",
        ),
        ("version: 2\nmocks: {}\n", "s.yaml:1:10: version: 1 was expected"),
        (
            "mocks:\n  national_portal: {faults: [}\n",
            "s.yaml:2:30: not valid YAML: expected the node content, but found '}'",
        ),
        (
            "mocks:\n  national_portal:\n    state: {dossiers: [{dossier: {}}]}\n",
            's.yaml:3:34: mocks.national_portal.state.dossiers[0].dossier: "MaHoSo" is a required '
            "property",
        ),
        (
            "mocks:\n  national_portal: {}\n  national-portal: {}\n",
            "s.yaml:3:3: mocks.national-portal: national_portal is given twice",
        ),
        (
            "mocks:\n  sso:\n    state: {}\n",
            "s.yaml:3:12: mocks.sso.state: this mock keeps no state a test can set",
        ),
    ],
)
def test_a_mistake_is_named_with_its_line(text: str, message: str) -> None:
    with pytest.raises(ScenarioFileError) as refused:
        _started_with(text)

    assert str(refused.value) == message


def test_nothing_changes_when_a_later_section_is_wrong() -> None:
    app = create_mocks_app()
    scenario = parse_scenario(
        "mocks:\n"
        "  national_portal: {faults: [{status: 503}]}\n"
        "  business_registry: {faults: [{status: 99}]}\n",
        "s.yaml",
        resolve=mock_named,
    )
    from mocks.app import load_scenario

    with pytest.raises(ScenarioFileError, match=r"s\.yaml:3:\d+: mocks\.business_registry"):
        load_scenario(app, scenario)

    assert len(admins(app)["national_portal"].faults) == 0


@pytest.mark.parametrize("example", sorted(p.name for p in EXAMPLES.glob("*.yaml")))
def test_the_documented_examples_load(example: str) -> None:
    scenario = read_scenario(EXAMPLES / example, resolve=mock_named)
    app = create_mocks_app(scenario=scenario)

    loaded = {
        name: len(admin.stories) + len(admin.faults) + len(admin.callbacks)
        for name, admin in admins(app).items()
    }
    assert any(loaded.values())

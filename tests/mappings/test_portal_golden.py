"""The portal objects written for known dossiers, held against reviewed golden files."""

from __future__ import annotations

from typing import Any

from mappings import (
    Dossier,
    PortalDossier,
    PortalProgress,
    ProgressStep,
    ProvinceOverrides,
    from_portal_dossier,
    from_portal_progress,
    to_portal_dossier,
    to_portal_progress,
)

Golden = Any


def test_full_dossier_writes_the_golden_portal_object(
    full_dossier: Dossier, golden: Golden
) -> None:
    golden.check(to_portal_dossier(full_dossier), "full_dossier.json")


def test_minimal_dossier_writes_empty_strings_and_zero_flags(
    minimal_dossier: Dossier, golden: Golden
) -> None:
    golden.check(to_portal_dossier(minimal_dossier), "minimal_dossier.json")


def test_progress_step_writes_the_golden_portal_object(
    progress_step: ProgressStep, golden: Golden
) -> None:
    golden.check(
        to_portal_progress("000.00.01.H56-250301-00012", progress_step), "progress_step.json"
    )


def test_golden_full_dossier_reads_back_as_the_canonical_dossier(
    full_dossier: Dossier, province: ProvinceOverrides, golden: Golden
) -> None:
    portal = PortalDossier.model_validate(golden.read("full_dossier.json"))
    progress = [
        to_portal_progress(full_dossier.code, step, overrides=province)
        for step in full_dossier.progress
    ]

    assert from_portal_dossier(portal, progress=progress, overrides=province) == full_dossier


def test_golden_minimal_dossier_reads_back_as_the_canonical_dossier(
    minimal_dossier: Dossier, golden: Golden
) -> None:
    portal = PortalDossier.model_validate(golden.read("minimal_dossier.json"))

    assert from_portal_dossier(portal) == minimal_dossier


def test_golden_progress_step_reads_back_with_its_dossier_code(
    progress_step: ProgressStep, golden: Golden
) -> None:
    portal = PortalProgress.model_validate(golden.read("progress_step.json"))

    assert from_portal_progress(portal) == ("000.00.01.H56-250301-00012", progress_step)

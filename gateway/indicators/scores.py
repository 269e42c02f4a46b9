"""Targets for each share, and the score QĐ 766 would give each of its five groups.

Quyết định 766/QĐ-TTg (23/6/2022) scores a province out of 100 in five groups: transparency 18,
progress and results 20, digitisation 22, online services 22, satisfaction 18. The weights of
the indicators inside a group are not public in machine-readable form, so they are settings
(``LIENTHONG_INDICATOR_WEIGHTS``, equal by default), as are the targets
(``LIENTHONG_INDICATOR_TARGETS``). A group's projected score is its points times the weighted mean,
over its shares that can be counted, of how near each share is to its target (at most 1): a
projection of the Government's figure from what the gateway holds, not the figure itself.

Default targets and where they come from (*inferred* where no plan states the number):

- synced 100%: every one-stop dossier synced to the portal (the province's plans);
- on time 100%, in progress not overdue 100%: QĐ 766 gives full points for no late dossier
  (*inferred*);
- digitised 100%, results digitised 100%: Nghị định 107/2021/NĐ-CP asks every dossier and result
  to be digitised (*inferred* as the level of full points);
- reused 50%: *inferred*, half of dossiers reusing digitised results;
- online 80%: the e-government strategy's share of dossiers handled online by 2025 (Quyết định
  942/QĐ-TTg; *inferred* as its reading here);
- paid online 50%, authenticated with VNeID 50%: *inferred*;
- prefilled 50%: forms prefilled from national databases (the province's plans);
- satisfied 95%: satisfaction by 2025 (the province's plans).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from gateway.indicators.figures import Figures, Share


class Group(StrEnum):
    transparency = "transparency"
    progress = "progress"
    digitisation = "digitisation"
    online = "online"
    satisfaction = "satisfaction"


POINTS = {
    Group.transparency: 18,
    Group.progress: 20,
    Group.digitisation: 22,
    Group.online: 22,
    Group.satisfaction: 18,
}
MEMBERS = {
    Group.transparency: (Share.synced,),
    Group.progress: (Share.on_time, Share.not_overdue),
    Group.digitisation: (Share.digitised, Share.results_digitised, Share.reused),
    Group.online: (Share.online, Share.paid_online, Share.prefilled, Share.vneid),
    Group.satisfaction: (Share.satisfied,),
}
"""Which shares count in which group."""
GROUP_OF = {share: group for group, shares in MEMBERS.items() for share in shares}

DEFAULT_TARGETS = {
    Share.synced: 1.0,
    Share.on_time: 1.0,
    Share.not_overdue: 1.0,
    Share.digitised: 1.0,
    Share.results_digitised: 1.0,
    Share.reused: 0.5,
    Share.online: 0.8,
    Share.paid_online: 0.5,
    Share.prefilled: 0.5,
    Share.vneid: 0.5,
    Share.satisfied: 0.95,
}
DEFAULT_WEIGHTS = dict.fromkeys(Share, 1.0)


@dataclass(frozen=True, slots=True)
class GroupScore:
    group: Group
    points: int
    """What QĐ 766 gives the group at most."""
    score: float | None
    """The projected points; ``None`` when none of the group's shares can be counted."""


def attainment(value: float | None, target: float) -> float | None:
    """How near a share is to its target, from 0 to 1 (1 at or past it)."""
    if value is None:
        return None
    return 1.0 if target <= 0 else min(1.0, value / target)


def scores(
    figures: Figures, targets: Mapping[Share, float], weights: Mapping[Share, float]
) -> list[GroupScore]:
    """The projected score of each group, in QĐ 766's order."""
    shares = figures.shares()
    found = []
    for group, members in MEMBERS.items():
        reached = [
            (weights[share], level)
            for share in members
            if (level := attainment(shares[share], targets[share])) is not None
            and weights[share] > 0
        ]
        total = sum(weight for weight, _level in reached)
        score = POINTS[group] * sum(w * level for w, level in reached) / total if total else None
        found.append(GroupScore(group, POINTS[group], score))
    return found

"""The one registry of check families.

Each row says everything the rest of the plugin needs about a family: the function (`checks.<name>`),
the module that defines it and its `CHECK_IDS`, the default controls of its ids, its docs page and its
baseline test. `checks.ALL`, `controls.DEFAULT_CONTROLS`, the generated reference and the baseline
module are all read from here, so a new family is its module plus one row.

Rows name modules by path instead of importing them: reading the registry (for controls, docs, the
plugin's start) costs nothing until a check runs.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from types import ModuleType
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from ..model import Findings, Inventory


class CheckFamily(NamedTuple):
    #: the function's name, in `pytest_cloudcheck.checks` and in its module
    name: str
    #: the module that defines the function and `CHECK_IDS` (every id the function can produce)
    module: str
    #: heading in the generated reference
    title: str
    #: check-id prefixes (the part before the first dot) of its ids
    prefixes: tuple[str, ...]
    #: BIO controls its findings give evidence for
    controls: tuple[str, ...]
    #: docs page with the details (docs/<page>)
    page: str
    #: the baseline test's name; None: not in the baseline
    baseline: str | None
    #: a rule of the landing zone: in `checks.ALL` (coverage reports such as `unclassified` are not)
    rule: bool = True
    #: the baseline test is audit-marked (advisory, like Azure Policy's Audit effect)
    advisory: bool = False
    #: the baseline runs one test per check id (else one test for the family)
    per_id: bool = True

    def _module(self) -> ModuleType:
        return importlib.import_module(self.module)

    @property
    def function(self) -> Callable[[Inventory], Findings]:
        """The check; a rule family's also reports the coverage gaps touching its scope as
        `<prefix>.not_assessed` findings (see `coverage.py`; the module's `judges(type)` says which
        types it judges, absent: all)."""
        function: Callable[[Inventory], Findings] = getattr(self._module(), self.name)
        if not self.rule:
            return function
        wrapped = _WITH_GAPS.get(function)
        if wrapped is None:
            from ..coverage import with_gaps

            # a family that judges by environment (module flag BY_ENVIRONMENT) cannot vouch for a
            # resource whose environment is unknown
            by_environment = bool(getattr(self._module(), "BY_ENVIRONMENT", False))
            wrapped = _WITH_GAPS[function] = with_gaps(function, self.not_assessed, self.judges, by_environment)
        return wrapped

    @property
    def judges(self) -> Callable[[str], bool] | None:
        judges: Callable[[str], bool] | None = getattr(self._module(), "judges", None)
        return judges

    @property
    def not_assessed(self) -> str:
        """The id of its findings about what it could not assess (coverage gaps)."""
        return f"{self.prefixes[0]}.not_assessed"

    @property
    def check_ids(self) -> tuple[str, ...]:
        """Every check id the family can produce."""
        return self._with_not_assessed(self._module().CHECK_IDS)

    def check_ids_for(self, inventory: Inventory | None) -> Sequence[str]:
        """The ids the baseline runs for this inventory (a family may narrow them to what applies)."""
        narrow = getattr(self._module(), "check_ids", None)
        return self.check_ids if narrow is None or inventory is None else self._with_not_assessed(narrow(inventory))

    def _with_not_assessed(self, ids: Sequence[str]) -> tuple[str, ...]:
        return (*ids, self.not_assessed) if self.rule and self.not_assessed not in ids else tuple(ids)


#: each rule family's function with its coverage gaps, made once (so `checks.cmk` is one object)
_WITH_GAPS: dict[Callable[..., Findings], Callable[..., Findings]] = {}

_CHECKS = "pytest_cloudcheck.checks"

FAMILIES: tuple[CheckFamily, ...] = (
    CheckFamily(
        "cmk", f"{_CHECKS}.cmk_check", "CMK", ("cmk",),
        ("BIO U.05.2", "BIO U.11.3"),  # data at rest encrypted, keys managed by us
        "cmk.md", "test_cmk",
    ),
    CheckFamily(
        "no_infra_backups", f"{_CHECKS}.backups", "No infrastructure backups", ("backup",),
        ("BIO U.03", "BIO U.04"),  # business continuity; recovery from code, not backups
        "backups.md", "test_no_infra_backups",
    ),
    CheckFamily(
        "nonprod_isolation", f"{_CHECKS}.isolation", "NonProd isolation", ("isolation",),
        ("BIO U.07.1",),  # separation of environments
        "isolation.md", "test_isolation",
    ),
    CheckFamily(
        # isolation cannot vouch for resources without an environment: same control
        "unclassified", "pytest_cloudcheck.environments", "Environments", ("environment",),
        ("BIO U.07.1",),
        "environments.md", "test_every_resource_has_an_environment", rule=False, per_id=False,
    ),
    CheckFamily(
        "hub_and_spoke", f"{_CHECKS}.topology", "Hub and spoke", ("topology",),
        ("BIO U.07.1", "BIO U.12.1"),  # separation, network segmentation
        "topology.md", "test_topology",
    ),
    CheckFamily(
        "sla", f"{_CHECKS}.sla_check", "SLA target", ("sla",),
        ("BIO U.03.1", "BIO U.03.2"),  # agreed continuity by redundancy, continuity requirements in the architecture
        "sla.md", "test_sla",
    ),
    CheckFamily(
        "nonprod_cost", f"{_CHECKS}.cost", "NonProd cost", ("cost",),
        ("BIO U.03.2",),  # continuity requirements (NonProd has none) met by the architecture
        "sla.md", "test_nonprod_cost",
    ),
    CheckFamily(
        "overbuilt", f"{_CHECKS}.overbuilt_check", "Built beyond the SLA target", ("overbuilt",),
        ("BIO U.03.2",),
        "sla.md", "test_overbuilt", advisory=True,
    ),
    CheckFamily(
        "unmanaged", f"{_CHECKS}.drift", "Drift (state vs live)", ("drift",),
        (),
        "drift.md", None, rule=False,
    ),
)  # fmt: skip

BY_NAME: dict[str, CheckFamily] = {family.name: family for family in FAMILIES}


def family_of(check: str) -> CheckFamily | None:
    """The family a check id belongs to, by its prefix (None for a check of the user's own)."""
    prefix = check.split(".", 1)[0]
    return next((f for f in FAMILIES if prefix in f.prefixes), None)

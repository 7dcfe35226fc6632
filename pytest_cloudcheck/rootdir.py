"""The rootdir and ini file are never taken from an input's folder.

pytest decides its rootdir and ini file (findpaths.determine_setup) before it loads plugins from
their entry points, so it does not know our options yet: in `pytest --cloudcheck-plan sub/plan.json`
the value looks like a test path, and a `pytest.ini` beside the plan would configure the run (it
could switch it to audit mode). By the time the plugin loads that choice is made and its ini values
may already be applied (addopts, confcutdir); it cannot be undone safely. So the plugin asks the
same question again without our options' values: when the answer differs, the run is refused with
one line telling the user to write `--cloudcheck-plan=sub/plan.json`, which pytest never mistakes
for a path.
"""

from __future__ import annotations

import inspect
import itertools
import os
import shlex
from pathlib import Path
from typing import Any

from .errors import ConfigurationError


def separated_values(args: list[str], flags: set[str]) -> list[tuple[str, str]]:
    """(flag, value) for every option of ours whose value is the next argument."""
    out = []
    for flag, value in itertools.pairwise(args):
        if flag in flags and not value.startswith("-"):
            out.append((flag, value))
    return out


def check_rootdir(config: Any) -> None:
    """Refuse a run whose rootdir or ini file pytest took from the folder of one of our inputs."""
    from .options import OPTIONS

    if hasattr(config, "workerinput"):
        return  # an xdist worker: the controller has checked
    flags = {o.flag for o in OPTIONS if o.cli and o.kind != "bool"}
    args = [*shlex.split(os.environ.get("PYTEST_ADDOPTS", "")), *map(str, config.invocation_params.args)]
    values = [(flag, value) for flag, value in separated_values(args, flags) if Path(value).exists()]
    if not values:
        return
    ns = config.known_args_namespace
    positional = [str(a) for a in (getattr(ns, "file_or_dir", None) or [])]
    as_pytest_saw = _setup(config, [*positional, *(value for _, value in values)])
    intended = _setup(config, positional)
    if as_pytest_saw is None or intended is None:
        return
    seen = (Path(str(config.rootpath)), config.inipath)
    if as_pytest_saw != seen or intended == seen:
        return  # not how pytest decided (an ini's addopts), or the same either way
    if seen[1] == intended[1] and seen[0] in intended[0].parents:
        return  # the same ini; a rootdir above the project's (an input elsewhere): nothing from its folder
    flag, value = values[0]
    took = f"ini file {config.inipath}" if config.inipath != intended[1] else f"rootdir {config.rootpath}"
    raise ConfigurationError(
        f"cloudcheck: pytest took its {took} from the folder of `{flag} {value}` (before the plugin loads, "
        f"pytest reads an option's value written after a space as a test path); write `{flag}={value}`"
    )


def _setup(config: Any, args: list[str]) -> tuple[Path, Path | None] | None:
    """pytest's rootdir and ini file for these free arguments (None: this pytest decides otherwise)."""
    try:
        from _pytest.config.findpaths import determine_setup
    except ImportError:  # pragma: no cover - a pytest without it
        return None
    ns = config.known_args_namespace
    offered = {
        "inifile": getattr(ns, "inifilename", None),
        "override_ini": getattr(ns, "override_ini", None),
        "args": args,
        "rootdir_cmd_arg": getattr(ns, "rootdir", None) or None,
        "invocation_dir": Path(str(config.invocation_params.dir)),
        "config": config,
    }
    try:
        params = inspect.signature(determine_setup).parameters
        rootpath, inipath, *_ = determine_setup(**{k: v for k, v in offered.items() if k in params})
    except Exception:  # pytest's own errors were raised when it decided
        return None
    return Path(rootpath), inipath

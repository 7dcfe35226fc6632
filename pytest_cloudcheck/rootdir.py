"""The rootdir and ini file are never taken from an input's folder.

pytest decides its rootdir and ini file (findpaths.determine_setup) before it loads plugins from
their entry points, so it does not know our options yet: in `pytest --cloudcheck-plan sub/plan.json`
the value looks like a test path, and a `pytest.ini` beside the plan would configure the run (it
could switch it to audit mode). By the time the plugin loads that choice is made and its ini values
may already be applied (addopts, confcutdir); it cannot be undone safely. So the plugin asks the
same question again without our options' values: when the answer differs, the run is refused with
one line telling the user to write `--cloudcheck-plan=sub/plan.json`, which pytest never mistakes
for a path. A rootdir that moves with the same ini file (an input far from the project) reads no
configuration, so it is left alone.
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
    if as_pytest_saw != seen or intended[1] == seen[1]:
        # not how pytest decided (an ini's addopts), or the same ini either way: a rootdir that moved
        # reads nothing from the input's folder (its conftest.py is not loaded: the value is ours by then)
        return
    flag, value = values[0]
    took = (
        f"took its ini file {config.inipath} from the folder of"
        if config.inipath is not None
        else f"read no ini file (not the project's {intended[1]}) because of"
    )
    raise ConfigurationError(
        f"cloudcheck: pytest {took} `{flag} {value}` (before the plugin loads, pytest reads an option's value "
        f"written after a space as a test path); write `{flag}={value}`"
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

"""Loading one Terraform root module from its files: parse, evaluate, build the Resources.

Imported only when a kept load (saved.py) cannot be reused: a warm run never imports the
evaluator, the parser or python-hcl2.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from ...environments import referenced_attributes
from ...errors import SourceError
from ...model import Origin, Resource, SourceInfo
from ...settings import Settings
from ..azapi import apply_azapi
from ..loaded import LoadedSource
from ..plan import display_path, typed_values
from ..references import PlanConfiguration
from ..sensitive_keys import KeyRedactor
from . import inputs, saved
from .eval import evaluate
from .functions import EvalError
from .instances import UNKNOWN_KEY, LoadContext, ModuleInstance, instance_suffix
from .modules import INIT_HINT, child_key, configuration, load_module_tree, settle
from .parse import HclSyntaxError, ParseCache, ParseStats, parse_text
from .store import FolderStore
from .validate import validate_tree
from .values import Marked, is_special, redact

# ---------------------------------------------------------------------------------------------
# Variables of the root module: defaults < terraform.tfvars < *.auto.tfvars < cloudcheck_var_files


def var_files(root: Path, extra: list[Path]) -> list[Path]:
    present = {p.name: p for p in inputs.files_in(root)}
    files = [present[name] for name in ("terraform.tfvars", "terraform.tfvars.json") if name in present]
    files += sorted(p for name, p in present.items() if name.endswith(".auto.tfvars"))
    files += sorted(p for name, p in present.items() if name.endswith(".auto.tfvars.json"))
    return files + list(extra)


def read_var_file(path: Path) -> dict[str, Any]:
    display = display_path(path)
    try:
        raw = inputs.read(path)[0].decode("utf-8-sig")
        text = raw.replace("\r\n", "\n").replace("\r", "\n")  # as read_text() reads it
    except FileNotFoundError:
        raise SourceError(display, "variables file not found (cloudcheck_var_files)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceError(display, f"cannot be read ({exc})") from None
    if path.name.endswith(".json"):
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as exc:
            raise SourceError(f"{display}:{exc.lineno}", f"invalid JSON ({exc.msg})") from None
        if not isinstance(doc, dict):
            raise SourceError(display, "a .tfvars.json file must hold one JSON object")
        return doc
    try:
        body = parse_text(text)
    except HclSyntaxError as exc:
        where = f"{display}:{exc.line}" if exc.line else display
        raise SourceError(where, f"HCL syntax error: {exc.message}") from None
    return {name: evaluate(expr, _NoNames()) for name, (_, expr) in body["a"].items()}


class _NoNames:
    def resolve(self, name: str) -> Any:
        raise EvalError(f"{name}: a variables file holds values, not references")


# ---------------------------------------------------------------------------------------------
# Loading a root module


class _Loader:
    def __init__(self, root: Path, settings: Settings, cache: ParseCache | None) -> None:
        self.root = root
        self.root_display = display_path(root)
        self.settings = settings
        self.cache = cache
        self.context = LoadContext(self.root_display, base_dir=root)
        self.notes = self.context.notes  # the instances add theirs (missing values)
        self.ledger = self.context.ledger  # and their gaps (unknown count / for_each)
        self.stats = ParseStats()
        self.parse_note = ""
        self.configuration: dict[str, Any] = {}
        self.holds_secrets = False  # sensitive values were read: the load is not stored (saved.py)

    def load(self, label: str) -> LoadedSource:
        marks_before = Marked.made
        tree = load_module_tree(self.root, self.cache, self.stats)
        root_module, modules = tree.root, tree.modules
        if not root_module.files:
            raise SourceError(self.root_display, "folder holds no *.tf files; expected a Terraform root module")
        validate_tree(tree)
        root_variables: dict[str, Any] = {}
        for path in var_files(self.root, list(self.settings.get("var_files") or ())):
            for name, value in read_var_file(path).items():
                if name in root_module.variables:
                    root_variables[name] = value
        root = ModuleInstance(root_module, tree, "", "", self.context, root_variables=root_variables)
        self.configuration = config = {
            "root_module": configuration(tree),
            "provider_config": self._provider_config(root),
        }
        plain_variables = {
            name: {"value": redact(root.variable(name))}
            for name in root_module.variables
            if not is_special(root.variable(name))
        }
        resolver = PlanConfiguration(config, plain_variables)
        resources: list[Resource] = []
        data_sources: list[Resource] = []
        self._build(root, resolver, label, resources, data_sources)
        secrets: set[str] = set()
        if Marked.made != marks_before:  # no value was marked sensitive: none holds a secret
            root.secrets(secrets)
        self.holds_secrets = bool(secrets or resolver.secrets)
        if secrets:  # keys unwrapped from a secret by nonsensitive() (sources/sensitive_keys.py)
            keys = KeyRedactor(secrets)
            for r in (*resources, *data_sources):
                keys.resource(r)
                keys.map_keys(r.values, secrets)
        resolver.attach(resources + data_sources)
        resources = apply_azapi(resources, self.ledger)
        resolver.attach(resources + data_sources)
        resolver.assign_provider_subscriptions(resources + data_sources)
        for module in modules.values():
            for name in module.ignored_files:
                self.ledger.record(
                    "file",
                    f"{module.display}/{name}",
                    "override file not read (override files are not supported)",
                    "merge its blocks into the files they override, or check a plan of this root instead",
                    address=None,
                )
        self.parse_note = (
            f"{self.stats.parsed + self.stats.cached} files: {self.stats.parsed} parsed "
            f"({self.stats.workers} process{'es' if self.stats.workers > 1 else ''}), {self.stats.cached} from cache"
        )
        self.notes.append(self.parse_note)
        digest = hashlib.sha256()
        for module in sorted(modules.values(), key=lambda m: str(m.directory)):
            for parsed in module.files:
                digest.update(f"{display_path(parsed.path)}\0{parsed.sha256}\n".encode())
        info = SourceInfo(
            kind="hcl",
            location=self.root_display,
            resources=len(resources),
            sha256=digest.hexdigest(),
            label=label,
            notes=_unique(self.notes),
            ledger=self.ledger,
        )
        return LoadedSource(info, resources, data_sources)

    def _provider_config(self, root: ModuleInstance) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for block in root.source.providers:
            name = block.labels[0] if block.labels else ""
            alias = block.literal("alias")
            key = f"{name}.{alias}" if isinstance(alias, str) else name
            expressions: dict[str, Any] = {}
            entry = block.attribute("subscription_id")
            if entry is not None:
                value = evaluate(entry[1], root)
                if isinstance(value, str):
                    expressions["subscription_id"] = {"constant_value": value}
            out[key] = {"name": name, "expressions": expressions}
        return out

    def _build(
        self,
        instance: ModuleInstance,
        resolver: PlanConfiguration,
        label: str,
        resources: list[Resource],
        data_sources: list[Resource],
    ) -> None:
        prefix = f"{instance.address}." if instance.address else ""
        for key, block in instance.source.resources.items():
            mode, tf_type, name = key
            local = f"{tf_type}.{name}" if mode == "managed" else f"data.{tf_type}.{name}"
            for index, values, lines in instance.evaluate_resource(key, block):
                resource = _resource(
                    address=f"{prefix}{local}{instance_suffix(index)}",
                    tf_type=tf_type,
                    mode=mode,
                    module=instance.address,
                    index=None if index == UNKNOWN_KEY else index,
                    values=dict(values),
                    origin=Origin(block.file, block.line),
                    label=label,
                    resolver=resolver,
                )
                resource.attribute_lines = lines
                (data_sources if mode == "data" else resources).append(resource)
        for call_name in instance.source.module_calls:
            gap = instance.tree.gaps.get(child_key(instance.key, call_name))
            if gap is not None:
                where, why = gap
                self.ledger.record(
                    "module",
                    where,
                    f"{prefix}module.{call_name} {why}",
                    INIT_HINT,
                    address=f"{prefix}module.{call_name}",
                )
        for call_name in instance.source.module_calls:
            for child in instance.children(call_name):
                self._build(child, resolver, label, resources, data_sources)


def _resource(
    *,
    address: str,
    tf_type: str,
    mode: str,
    module: str,
    index: Any,
    values: dict[str, Any],
    origin: Origin,
    label: str,
    resolver: PlanConfiguration,
) -> Resource:
    """As the plan source builds it (azapi resources are shaped like ARM resources)."""
    tf_type, arm_type, values, schema = typed_values(tf_type, redact(values))
    return Resource(
        address=address,
        type=tf_type,
        arm_type=arm_type,
        values=values,
        source="hcl",
        mode=mode,
        module=module,
        index=index,
        origin=origin,
        schema=schema,
        source_label=label,
        resolver=resolver,
    )


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def load_and_keep(path: Path, label: str, settings: Settings, loads: FolderStore | None, key: str) -> LoadedSource:
    """Load the folder (no kept load was reused) and keep the load for the next run (saved.py)."""
    loader = _Loader(path, settings, settings.get("cache"))
    try:
        with inputs.recording() as seen:
            loaded = loader.load(label)
    except RecursionError:
        raise SourceError(display_path(path), "expressions nested too deeply to evaluate") from None
    if loads is not None and not loader.holds_secrets:
        settle(loader.configuration["root_module"])
        for r in (*loaded.resources, *loaded.data_sources):
            for attribute in referenced_attributes(r):
                r.referenced(attribute)  # answered once, kept with the load (the resolver caches it)
        saved.share(loader.configuration, loaded)
        files = loader.stats.parsed + loader.stats.cached
        saved.keep(loads, key, seen, files, loader.parse_note, loaded)
    return loaded

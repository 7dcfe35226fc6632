"""Ask the real `terraform console` for every expression of function_cases.py and write its answers
to tests/oracle/function_oracle.json (committed; tests/test_hcl_function_oracle.py compares the
HCL evaluator with every answer).

    python tests/oracle/gen_function_oracle.py          # needs terraform on PATH (1.11 was used)

Each expression is asked as `base64encode(jsonencode(EXPR))` (exact value, no escaping questions);
where that is unknown, sensitive or an error, EXPR itself is asked and the console's own printing
is read (`(known after apply)` / `(sensitive value)` parts kept as markers). The console runs in a
copy of fixture/ with HOME=/home/oracle, so paths in the answers do not depend on this machine.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from function_cases import CASES  # noqa: E402

OUT = HERE / "function_oracle.json"
HOME = "/home/oracle"
UNKNOWN_MARK = {"$unknown": True}
SENSITIVE_MARK = {"$sensitive": True}


def console(workdir: Path, expr: str) -> tuple[bool, str]:
    env = {**os.environ, "HOME": HOME, "TF_CLI_CONFIG_FILE": os.devnull, "TF_IN_AUTOMATION": "1"}
    done = subprocess.run(
        ["terraform", "console", "-no-color"],
        input=expr + "\n",
        capture_output=True,
        text=True,
        cwd=workdir,
        env=env,
        timeout=60,
    )
    return done.returncode == 0, (done.stdout if done.returncode == 0 else done.stderr + done.stdout).strip()


def error_text(output: str) -> str:
    lines = [line.strip() for line in output.splitlines()]
    summary = next((line[len("Error: ") :] for line in lines if line.startswith("Error: ")), output)
    detail = [line for line in lines[lines.index(next(x for x in lines if x.startswith("Error: "))) + 1 :] if line]
    detail = [
        line for line in detail if not line.startswith("on <console-input>") and "source code not available" not in line
    ]
    return f"{summary}: {' '.join(detail)}".strip(": ")


# -- the console's printing of values (only read where jsonencode cannot answer) ------------------

_TOKEN = re.compile(
    r'\s*(\(known after apply\)|\(sensitive value\)|"(?:[^"\\]|\\.)*"|<<-?EOT\n.*?\n\s*EOT|'
    r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|true|false|null|tolist\(|toset\(|tomap\(|[\[\]{}=,()])",
    re.DOTALL,
)


def parse_printed(text: str) -> Any:
    tokens = [m.group(1) for m in _TOKEN.finditer(text)]
    value, rest = _value(tokens)
    if rest:
        raise ValueError(f"trailing tokens {rest[:3]}")
    return value


def _value(tokens: list[str]) -> tuple[Any, list[str]]:
    head, rest = tokens[0], tokens[1:]
    if head == "(known after apply)":
        return UNKNOWN_MARK, rest
    if head == "(sensitive value)":
        return SENSITIVE_MARK, rest
    if head in ("tolist(", "toset(", "tomap("):
        value, rest = _value(rest)
        assert rest[0] == ")"
        return value, rest[1:]
    if head == "[":
        items = []
        while rest[0] != "]":
            item, rest = _value(rest)
            items.append(item)
            if rest[0] == ",":
                rest = rest[1:]
        return items, rest[1:]
    if head == "{":
        obj = {}
        while rest[0] != "}":
            key, rest = _value(rest)
            assert rest[0] == "="
            item, rest = _value(rest[1:])
            obj[key] = item
            if rest[0] == ",":
                rest = rest[1:]
        return obj, rest[1:]
    if head.startswith('"'):
        return json.loads(head.replace("$${", "${").replace("%%{", "%{")), rest
    if head.startswith("<<"):
        lines = head.split("\n")[1:-1]
        indent = min((len(x) - len(x.lstrip()) for x in lines if x.strip()), default=0) if head.startswith("<<-") else 0
        return "\n".join(x[indent:] for x in lines) + "\n", rest
    if head in ("true", "false"):
        return head == "true", rest
    if head == "null":
        return None, rest
    number = float(head)
    return (int(number) if number.is_integer() and "." not in head and "e" not in head.lower() else number), rest


def _json_answer(output: str) -> Any:
    return json.loads(base64.b64decode(json.loads(output)).decode("utf-8"))


def ask(workdir: Path, family: str, expr: str, flags: tuple[str, ...]) -> dict[str, Any]:
    case: dict[str, Any] = {"family": family, "expr": expr}
    if flags:
        case["flags"] = list(flags)
    ok, out = console(workdir, f"base64encode(jsonencode({expr}))")
    if ok and out.startswith('"'):
        case.update(kind="value", value=_json_answer(out))
        return case
    ok_raw, raw = console(workdir, expr)
    if not ok_raw:
        case.update(kind="error", error=error_text(raw))
        return case
    if ok and out == "(sensitive value)":
        ok_plain, plain = console(workdir, f"base64encode(jsonencode(nonsensitive({expr})))")
        if ok_plain and plain.startswith('"'):
            case.update(kind="sensitive", value=_json_answer(plain))
            return case
    try:
        printed = parse_printed(raw)
    except (ValueError, IndexError, AssertionError, KeyError):
        case.update(kind="unparsed", raw=raw)
        return case
    if printed == UNKNOWN_MARK:
        case.update(kind="unknown")
    elif printed == SENSITIVE_MARK:
        case.update(kind="sensitive")
    else:
        case.update(kind="partial", value=printed)
    return case


def main() -> int:
    if shutil.which("terraform") is None:
        print("terraform is not on PATH", file=sys.stderr)
        return 2
    version = subprocess.run(["terraform", "version", "-json"], capture_output=True, text=True, check=True)
    workers = 8  # one copy of the fixture each: the console locks the (empty) state
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "HOME": HOME, "TF_CLI_CONFIG_FILE": os.devnull}
        dirs = []
        for n in range(workers):
            workdir = Path(tmp) / f"w{n}" / "fixture"
            shutil.copytree(HERE / "fixture", workdir)
            subprocess.run(
                ["terraform", "init", "-backend=false", "-input=false"],
                cwd=workdir,
                env=env,
                check=True,
                capture_output=True,
            )
            dirs.append(workdir)
        chunks = [list(enumerate(CASES))[n::workers] for n in range(workers)]

        def run(n: int) -> list[tuple[int, dict[str, Any]]]:
            return [(i, ask(dirs[n], *case)) for i, case in chunks[n]]

        with ThreadPoolExecutor(max_workers=workers) as pool:
            answers = [
                a for _, a in sorted((x for part in pool.map(run, range(workers)) for x in part), key=lambda t: t[0])
            ]
    metadata = subprocess.run(
        ["terraform", "metadata", "functions", "-json"], capture_output=True, text=True, check=True
    )
    names = sorted({n.removeprefix("core::") for n in json.loads(metadata.stdout)["function_signatures"]})
    doc = {
        "terraform": json.loads(version.stdout)["terraform_version"],
        "functions": names,
        "home": HOME,
        "generated_by": "tests/oracle/gen_function_oracle.py",
        "cases": answers,
    }
    OUT.write_text(json.dumps(doc, indent=1, ensure_ascii=False, sort_keys=False) + "\n", encoding="utf-8")
    kinds: dict[str, int] = {}
    for a in answers:
        kinds[a["kind"]] = kinds.get(a["kind"], 0) + 1
    print(f"{len(answers)} cases -> {OUT.relative_to(HERE.parent.parent)}: {kinds}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

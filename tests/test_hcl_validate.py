"""Duplicate blocks and references to undeclared resources are errors naming file:line, in the
words of `terraform validate` (issue 13); the oracle test asks the real terraform 1.11 the same
trees (terraform_data only) and compares heading, place and detail."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from pytest_cloudcheck.errors import SourceError
from pytest_cloudcheck.sources.hcl import load_hcl_folder

#: name -> (files, where, message): each tree holds exactly one thing terraform validate refuses
CASES: dict[str, tuple[dict[str, str], str, str]] = {
    "duplicate_resource": (
        {
            "main.tf": 'resource "terraform_data" "a" {\n  input = "x"\n}\n',
            "other.tf": '\nresource "terraform_data" "a" {\n  input = "y"\n}\n',
        },
        "other.tf:2",
        'Duplicate resource "terraform_data" configuration: A terraform_data resource named "a" was already '
        "declared at main.tf:1. Resource names must be unique per type in each module.",
    ),
    "duplicate_data": (
        {
            "main.tf": 'data "terraform_remote_state" "s" {\n  backend = "local"\n}\n\n'
            'data "terraform_remote_state" "s" {\n  backend = "local"\n}\n'
        },
        "main.tf:5",
        'Duplicate data "terraform_remote_state" configuration: A terraform_remote_state data resource named "s" '
        "was already declared at main.tf:1. Resource names must be unique per type in each module.",
    ),
    "duplicate_module": (
        {
            "main.tf": 'module "m" {\n  source = "./m"\n}\n\nmodule "m" {\n  source = "./m"\n}\n',
            "m/main.tf": 'output "x" {\n  value = 1\n}\n',
        },
        "main.tf:5",
        'Duplicate module call: A module call named "m" was already defined at main.tf:1. Module calls must '
        "have unique names within a module.",
    ),
    "undeclared_resource": (
        {"main.tf": 'resource "terraform_data" "a" {\n  input = terraform_data.missing.output\n}\n'},
        "main.tf:2",
        'Reference to undeclared resource, in resource "terraform_data" "a": A managed resource '
        '"terraform_data" "missing" has not been declared in the root module.',
    ),
    "undeclared_module": (
        {"main.tf": 'resource "terraform_data" "a" {\n  input = module.nothere.x\n}\n'},
        "main.tf:2",
        'Reference to undeclared module, in resource "terraform_data" "a": No module call named "nothere" is '
        "declared in the root module.",
    ),
    "undeclared_data_in_a_child": (
        {
            "main.tf": 'module "m" {\n  source = "./m"\n}\n',
            "m/main.tf": 'output "x" {\n  value = data.terraform_remote_state.nope.outputs\n}\n',
        },
        "m/main.tf:2",
        'Reference to undeclared resource, in output "x": A data resource "terraform_remote_state" "nope" has '
        "not been declared in module.m.",
    ),
}

#: everything here is valid Terraform (terraform validate passes it): no error
VALID = {
    "main.tf": """
variable "names" {
  type    = list(string)
  default = ["a", "b"]
}

resource "terraform_data" "a" {
  input = [for name in var.names : upper(name) if name != ""]
  lifecycle {
    ignore_changes = [input]
  }
}

resource "terraform_data" "b" {
  input      = resource.terraform_data.a.output
  depends_on = [terraform_data.a, module.m]
}

module "m" {
  source = "./m"
  value  = { for k, v in { x = { thing = 1 } } : k => v.thing }
}

output "ids" {
  value = [for each_one in [terraform_data.a, terraform_data.b] : each_one.id]
}
""",
    "m/main.tf": 'variable "value" {}\n\noutput "x" {\n  value = var.value\n}\n',
}


def _tree(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


@pytest.mark.parametrize("name", sorted(CASES))
def test_terraform_validate_errors_are_errors_naming_file_and_line(tmp_path, monkeypatch, name):
    files, where, message = CASES[name]
    monkeypatch.chdir(_tree(tmp_path, files))
    with pytest.raises(SourceError) as raised:
        load_hcl_folder(Path("."))
    assert str(raised.value) == f"{where}: {message}"


def test_valid_references_are_no_error(tmp_path):
    loaded = load_hcl_folder(_tree(tmp_path, VALID))
    assert sorted(r.address for r in loaded.resources) == ["terraform_data.a", "terraform_data.b"]


def test_a_duplicate_is_one_usage_line_through_the_plugin(pytester):
    files, where, _ = CASES["duplicate_resource"]
    _tree(pytester.path / "infra", files)
    pytester.makepyfile("def test_x(cloud):\n    assert cloud\n")
    result = pytester.runpytest("-p", "no:cacheprovider", "--cloudcheck-hcl", "infra")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([f"*cloudcheck: infra/{where}: Duplicate resource*infra/main.tf:1.*"])
    assert "Traceback" not in result.stderr.str() + result.stdout.str()


def _validate(terraform: str, root: Path) -> str:
    subprocess.run([terraform, "init", "-backend=false", "-input=false", "-no-color"], cwd=root, capture_output=True)
    done = subprocess.run([terraform, "validate", "-no-color"], cwd=root, capture_output=True, text=True)
    return " ".join(done.stderr.split())


def test_terraform_validate_says_the_same(tmp_path, terraform):
    """The oracle: terraform 1.11's own heading, place and detail for each case (its ranges
    `main.tf:1,1-30` read as our `main.tf:1`), and no error on the valid tree."""
    for name, (files, where, message) in CASES.items():
        said = _validate(terraform, _tree(tmp_path / name, files))
        heading, _, detail = message.partition(": ")
        heading = heading.split(", in ")[0]
        file, line = where.rsplit(":", 1)
        assert f"Error: {heading} on {file} line {line}" in said, (name, said)
        ours = re.sub(r"\s+", " ", detail)
        theirs = re.sub(r"(\.tf:\d+),\d+-\d+", r"\1", said)
        assert ours in theirs, (name, said)
    assert "Error" not in _validate(terraform, _tree(tmp_path / "valid", VALID))

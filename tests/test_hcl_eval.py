"""Static evaluation of HCL expressions and their references (pure functions, no files)."""

from __future__ import annotations

from typing import Any

import pytest

from pytest_cloudcheck.model import SENSITIVE, UNKNOWN
from pytest_cloudcheck.sources.hcl.eval import evaluate
from pytest_cloudcheck.sources.hcl.functions import ComputedObject, EvalError
from pytest_cloudcheck.sources.hcl.parse import HclSyntaxError, parse_text
from pytest_cloudcheck.sources.hcl.references import references


class Names:
    def __init__(self, **names: Any) -> None:
        self.names = names

    def resolve(self, name: str) -> Any:
        if name in self.names:
            return self.names[name]
        raise EvalError(name)


def value_of(text: str, **names: Any) -> Any:
    expr = parse_text(f"x = {text}\n")["a"]["x"][1]
    return evaluate(expr, Names(**names))


def refs_of(text: str) -> list[str]:
    return references(parse_text(f"x = {text}\n")["a"]["x"][1])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('format("st%s%02d", "app", 7)', "stapp07"),
        ('lower("WestEurope")', "westeurope"),
        ("merge({ a = 1 }, { b = 2 }, { a = 3 })", {"a": 3, "b": 2}),
        ('cidrsubnet("10.1.0.0/16", 8, 2)', "10.1.2.0/24"),
        ('cidrhost("10.0.0.0/26", 4)', "10.0.0.4"),
        ('lookup({ a = "x" }, "b", "default")', "default"),
        ('join("-", ["a", "b"])', "a-b"),
        ('toset(["b", "a", "b"])', ["a", "b"]),
        ("length([1, 2, 3])", 3),
        ('try(local_missing.x, "fallback")', "fallback"),
        ("1 + 2 * 3", 7),
        ('"a" == "a" && !false', True),
        ('true ? "yes" : "no"', "yes"),
        ('[for s in ["a", "b"] : upper(s)]', ["A", "B"]),
        ("{ for k, v in { a = 1, b = 2 } : v => k if v > 1 }", {"2": "b"}),
        ('[{ id = "1" }, { id = "2" }][*].id', ["1", "2"]),
        ('"${1}-${true}"', "1-true"),
        ("<<EOT\nline ${2}\nEOT\n", "line 2\n"),
        ('"a\\tb\\u00e9"', "a\tb\u00e9"),
    ],
)
def test_common_expressions_evaluate(text, expected):
    assert value_of(text) == expected


def test_unknown_and_sensitive_propagate_and_never_become_known():
    thing = ComputedObject({"name": "kv"})
    assert value_of("r.name", r=thing) == "kv"
    assert value_of("r.id", r=thing) is UNKNOWN  # not set in the source: computed by the provider
    assert value_of('"${r.id}/keys/k"', r=thing) is UNKNOWN
    assert value_of("upper(r.id)", r=thing) is UNKNOWN
    assert value_of("r.id == null ? 1 : 2", r=thing) is UNKNOWN
    assert value_of("{ a = r.id, b = 1 }", r=thing) == {"a": UNKNOWN, "b": 1}
    assert value_of('"pw-${p}"', p=SENSITIVE) is SENSITIVE
    assert value_of("unknownfunction(1)") is UNKNOWN
    assert value_of("missing_name.attr") is UNKNOWN


def test_references_are_listed_as_terraform_lists_them():
    assert refs_of('azurerm_key_vault_key.cmk["storage"].versionless_id') == [
        'azurerm_key_vault_key.cmk["storage"].versionless_id',
        'azurerm_key_vault_key.cmk["storage"]',
        "azurerm_key_vault_key.cmk",
    ]
    assert refs_of("data.azurerm_client_config.current.tenant_id") == [
        "data.azurerm_client_config.current.tenant_id",
        "data.azurerm_client_config.current",
    ]
    # past a computed key Terraform's JSON stops (`azurerm_subnet.s`); the source goes on with any
    # key, so `module.x[each.key].out` still names the output it reads
    assert refs_of("azurerm_subnet.s[each.key].id") == [
        "azurerm_subnet.s[*].id",
        "azurerm_subnet.s[*]",
        "azurerm_subnet.s",
        "each.key",
    ]
    assert refs_of('merge(local.tags, { x = "${var.name}-a" })') == ["local.tags", "var.name"]
    # a `for` over a module reads an output of every instance
    assert refs_of("{ for k, s in module.spoke : k => s.vnet_id }") == [
        "module.spoke",
        "module.spoke[*].vnet_id",
        "module.spoke[*]",
    ]
    assert refs_of('"literal"') == []


def test_syntax_errors_carry_the_line():
    with pytest.raises(HclSyntaxError) as raised:
        parse_text('a = 1\nb = {\n  c = "x"\n')
    assert raised.value.line == 4
    assert "unexpected end of file" in raised.value.message


@pytest.mark.parametrize("closing", ["EOT", "EOT   ", "EOT\t "])
def test_a_heredoc_closes_at_its_marker_followed_by_blanks(closing: str) -> None:
    # Terraform accepts blanks after the closing marker (AVM's VM module has them); content keeps its own
    assert value_of(f"<<EOT\nhello  \n{closing}\n") == "hello  \n"
    assert value_of(f"<<-EOT\n    a\n  {closing}\n") == "a\n"


class Text(str):
    """A str subclass: the evaluator's fast paths (exact types) must give it the long way's answer."""


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        ('"n${i}-${j}"', {"i": 3, "j": 12}, "n3-12"),
        ('"${b}/${f}/${t}"', {"b": True, "f": 1.5, "t": Text("x")}, "true/1.5/x"),
        ('"${a}${u}"', {"a": "a", "u": UNKNOWN}, UNKNOWN),
        ('"${u}${a}"', {"a": "a", "u": UNKNOWN}, UNKNOWN),
        ('"${s}-${a}"', {"a": "a", "s": SENSITIVE}, SENSITIVE),
        ('length([a, 1, true, null, "x"])', {"a": "a"}, 5),
        ("length(l)", {"l": ["a", [UNKNOWN]]}, 2),  # a partial function: the length is known
        ('join(",", l)', {"l": ["a", {"k": UNKNOWN}]}, UNKNOWN),  # an unknown part deep inside an argument
        ("l", {"l": ["a", {"k": UNKNOWN}]}, ["a", {"k": UNKNOWN}]),
    ],
)
def test_templates_and_calls_over_plain_and_unknown_parts(text, names, expected):
    assert value_of(text, **names) == expected


def test_every_marked_value_is_counted_copies_too():
    import copy

    from pytest_cloudcheck.sources.hcl.values import Marked, mark, redact, unmark_deep

    made = Marked.made
    secret = mark("s3cr3t")
    copied = copy.deepcopy(secret)
    assert Marked.made == made + 2 and copied.value == "s3cr3t"
    assert unmark_deep(["a", 1, [secret]]) == (["a", 1, ["s3cr3t"]], True)
    assert unmark_deep(["a", 1, {"k": Text("v")}]) == (["a", 1, {"k": "v"}], False)
    redacted = redact({"a": "a", "n": [1, secret], "m": {"k": secret}})
    assert redacted == {"a": "a", "n": [1, SENSITIVE], "m": {"k": SENSITIVE}}

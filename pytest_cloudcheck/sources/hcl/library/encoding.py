"""Encoding functions: base64*, csvdecode, jsonencode/jsondecode, textencodebase64/textdecodebase64,
urlencode, yamlencode/yamldecode (as Terraform writes them: sorted keys, Go's JSON escaping)."""

from __future__ import annotations

import base64
import binascii
import codecs
import csv
import io
import json
import math
import re
import urllib.parse
from typing import Any

from ..values import EvalError, NotEvaluated, number_text, plain_number, to_string
from . import Function, fn

_HTML = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def _json_string(text: str) -> str:
    encoded = json.dumps(text, ensure_ascii=False)
    return re.sub("[<>&\u2028\u2029]", lambda m: _HTML[m.group(0)], encoded)


def jsonencode(value: Any) -> str:
    """Terraform's compact JSON: object keys sorted, `<>&` escaped as Go does."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        if isinstance(value, float) and (math.isinf(value) or math.isnan(value)):
            raise EvalError("jsonencode() of an infinite number")
        return number_text(value)
    if isinstance(value, str):
        return _json_string(value)
    if isinstance(value, list):
        return "[" + ",".join(jsonencode(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ",".join(f"{_json_string(k)}:{jsonencode(value[k])}" for k in sorted(value)) + "}"
    raise EvalError(f"jsonencode() of {type(value).__name__}")


def _no_constant(name: str) -> Any:
    raise ValueError(f"invalid JSON token {name}")


def _jsondecode(text: Any) -> Any:
    try:
        value = json.loads(to_string(text), parse_constant=_no_constant, parse_float=_float)
    except ValueError as exc:
        raise EvalError(f"invalid JSON: {exc}") from None
    return value


def _float(text: str) -> int | float:
    return plain_number(float(text))


def _base64decode(text: Any) -> str:
    try:
        raw = base64.b64decode(to_string(text), validate=True)
    except (binascii.Error, ValueError):
        raise EvalError("failed to decode base64 data") from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise EvalError("the result of decoding the provided string is not valid UTF-8") from None


def _base64encode(text: Any) -> str:
    return base64.b64encode(to_string(text).encode("utf-8")).decode("ascii")


def _base64gzip(text: Any) -> str:
    raise NotEvaluated("base64gzip(): Go's gzip bytes are not reproduced")


def _encoding(name: Any) -> str:
    label = to_string(name)
    try:
        codec = codecs.lookup(label)
    except LookupError:
        raise EvalError(f"{label!r} is not a supported IANA encoding name or alias") from None
    return codec.name


def _textencodebase64(text: Any, encoding: Any) -> str:
    codec = _encoding(encoding)
    try:
        raw = to_string(text).encode(codec)
    except UnicodeEncodeError:
        raise EvalError(f"the given string contains characters that cannot be represented in {encoding}") from None
    if codec in ("utf-16", "utf-32"):
        raw = raw[2:] if codec == "utf-16" else raw[4:]
        raw = to_string(text).encode(codec.replace("-", "_") + "_be")
    return base64.b64encode(raw).decode("ascii")


def _textdecodebase64(text: Any, encoding: Any) -> str:
    codec = _encoding(encoding)
    try:
        raw = base64.b64decode(to_string(text), validate=True)
    except (binascii.Error, ValueError):
        raise EvalError("the given value has invalid base64 symbols") from None
    try:
        return raw.decode(codec)
    except UnicodeDecodeError:
        raise EvalError(f"the given string is not valid {encoding}") from None


def _urlencode(text: Any) -> str:
    return urllib.parse.quote_plus(to_string(text), safe="")


def _csvdecode(text: Any) -> list[dict[str, str]]:
    data = to_string(text)
    try:
        rows = list(csv.reader(io.StringIO(data, newline=""), strict=True))
    except csv.Error as exc:
        raise EvalError(f"invalid CSV: {exc}") from None
    rows = [r for r in rows if r != []]
    if not rows:
        raise EvalError("missing header line")
    header = rows[0]
    out = []
    for number, row in enumerate(rows[1:], start=2):
        if len(row) != len(header):
            raise EvalError(f"record on line {number}: wrong number of fields")
        out.append(dict(zip(header, row, strict=True)))
    return out


# ---------------------------------------------------------------------------------------------
# YAML (YAML 1.2 core schema, as Terraform's decoder reads it; its encoder's layout)


def _yaml_loader() -> Any:
    import yaml  # type: ignore[import-untyped]

    class Loader(yaml.SafeLoader):
        pass

    Loader.yaml_implicit_resolvers = {k: list(v) for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()}
    for first in "0":
        Loader.yaml_implicit_resolvers[first] = [
            (tag, regexp)
            for tag, regexp in Loader.yaml_implicit_resolvers.get(first, [])
            if tag != "tag:yaml.org,2002:int"
        ]
    Loader.add_implicit_resolver(
        "tag:yaml.org,2002:int", re.compile(r"^(?:0o[0-7]+|0x[0-9a-fA-F]+|0|0[0-7]+)$"), list("0")
    )

    Loader.add_implicit_resolver(
        "tag:yaml.org,2002:float", re.compile(r"^[-+]?[0-9]+(?:\.[0-9]*)?[eE][-+]?[0-9]+$"), list("-+0123456789")
    )

    def construct_int(loader: Any, node: Any) -> int:
        text = loader.construct_scalar(node).replace("_", "")
        sign = -1 if text.startswith("-") else 1
        body = text.lstrip("+-")
        if body.startswith("0o"):
            return sign * int(body[2:], 8)
        if body.startswith("0x"):
            return sign * int(body[2:], 16)
        if body.startswith("0b"):
            return sign * int(body[2:], 2)
        if len(body) > 1 and body.startswith("0"):
            return sign * int(body, 8)
        return sign * int(body)

    def construct_float(loader: Any, node: Any) -> Any:
        text = loader.construct_scalar(node).lower().replace("_", "")
        if text.lstrip("+-") == ".inf" or text == ".nan":
            raise EvalError("yamldecode(): infinite and NaN numbers are not supported")
        return plain_number(float(text))

    def construct_timestamp(loader: Any, node: Any) -> str:
        moment = yaml.SafeLoader.construct_yaml_timestamp(loader, node)
        if not hasattr(moment, "hour"):
            return f"{moment.isoformat()}T00:00:00Z"
        text = moment.isoformat()
        return text + "Z" if moment.tzinfo is None else text.replace("+00:00", "Z")

    Loader.add_constructor("tag:yaml.org,2002:int", construct_int)
    Loader.add_constructor("tag:yaml.org,2002:float", construct_float)
    Loader.add_constructor("tag:yaml.org,2002:timestamp", construct_timestamp)
    return Loader


def _yamldecode(text: Any) -> Any:
    try:
        import yaml  # type: ignore[import-untyped]
    except ImportError:
        raise NotEvaluated("yamldecode() needs PyYAML") from None
    try:
        documents = list(yaml.load_all(to_string(text), Loader=_yaml_loader()))
    except yaml.YAMLError as exc:
        raise EvalError(f"invalid YAML: {str(exc).splitlines()[0]}") from None
    if len(documents) > 1:
        raise EvalError("unexpected extra content after value")
    if not documents:
        raise EvalError("missing start of document")
    value = documents[0]
    return _plain_yaml(value)


def _plain_yaml(value: Any) -> Any:
    if isinstance(value, dict):
        return {to_string(k) if not isinstance(k, str) else k: _plain_yaml(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain_yaml(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return to_string(str(value))


def _yaml_scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return number_text(value)
    text = to_string(value)
    if "\n" in text and not text.endswith(" "):
        return None  # type: ignore[return-value]  # block scalar
    return json.dumps(text, ensure_ascii=False)


def _yaml_lines(value: Any, indent: int) -> list[str]:
    pad = " " * indent
    if isinstance(value, dict):
        if not value:
            return [pad + "{}"]
        lines = []
        for key in sorted(value):
            lines.extend(_yaml_entry(pad + json.dumps(key, ensure_ascii=False) + ":", value[key], indent))
        return lines
    if isinstance(value, list):
        if not value:
            return [pad + "[]"]
        lines = []
        for item in value:
            if isinstance(item, (dict, list)) and item:
                inner = _yaml_lines(item, indent + 2)
                lines.append(pad + "- " + inner[0][indent + 2 :])
                lines.extend(inner[1:])
            else:
                lines.extend(_yaml_entry(pad + "-", item, indent))
        return lines
    scalar = _yaml_scalar(value)
    if scalar is None:
        return _yaml_block(pad.rstrip(), value, indent)
    return [pad + scalar]


def _yaml_block(prefix: str, text: str, indent: int) -> list[str]:
    chomp = "" if text.endswith("\n") and not text.endswith("\n\n") else "-" if not text.endswith("\n") else "+"
    body = text[:-1] if text.endswith("\n") and chomp == "" else text
    if chomp == "+":
        body = text[:-1]
    indicator = "2" if text[:1] == " " else ""
    lines = [f"{prefix} |{indicator}{chomp}".lstrip() if prefix else f"|{indicator}{chomp}"]
    for line in body.split("\n"):
        lines.append((" " * (indent + 2) + line) if line else "")
    return lines


def _yaml_entry(prefix: str, value: Any, indent: int) -> list[str]:
    if isinstance(value, dict) and value:
        return [prefix, *_yaml_lines(value, indent + 2)]
    if isinstance(value, list) and value:
        return [prefix, *_yaml_lines(value, indent)]
    if isinstance(value, (dict, list)):
        return [f"{prefix} {'{}' if isinstance(value, dict) else '[]'}"]
    scalar = _yaml_scalar(value)
    if scalar is None:
        return _yaml_block(prefix, value, indent)
    return [f"{prefix} {scalar}"]


def _yamlencode(value: Any) -> str:
    text = "\n".join(_yaml_lines(value, 0)) + "\n"
    if value is None or isinstance(value, (bool, int, float)):
        text += "...\n"  # a plain scalar document ends with a marker
    return text


FUNCTIONS: dict[str, Function] = {
    "base64decode": fn(_base64decode),
    "base64encode": fn(_base64encode),
    "base64gzip": fn(_base64gzip),
    "csvdecode": fn(_csvdecode),
    "jsondecode": fn(_jsondecode),
    "jsonencode": fn(jsonencode),
    "textdecodebase64": fn(_textdecodebase64),
    "textencodebase64": fn(_textencodebase64),
    "urlencode": fn(_urlencode),
    "yamldecode": fn(_yamldecode),
    "yamlencode": fn(_yamlencode),
}

"""Date and time functions: formatdate, timeadd, timecmp (RFC 3339 timestamps, Go's durations);
timestamp() and plantimestamp() are the time of the run: unknown before it."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from typing import Any

from ....model import UNKNOWN
from ..values import EvalError, to_string
from . import Function, fn

_RFC3339 = re.compile(r"(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})")
_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def parse_timestamp(value: Any) -> tuple[datetime, int, bool]:
    """The instant, its nanoseconds and whether it was written in UTC ('Z')."""
    text = to_string(value)
    match = _RFC3339.fullmatch(text)
    if match is None:
        raise EvalError(f"not a valid RFC3339 timestamp: {text!r}")
    year, month, day, hour, minute, second = (int(g) for g in match.groups()[:6])
    fraction, zone = match.group(7), match.group(8)
    if zone in ("Z", "z"):
        tz = timezone.utc
    else:
        sign = 1 if zone[0] == "+" else -1
        hours, minutes = int(zone[1:3]), int(zone[4:6])
        if hours > 23 or minutes > 59:
            raise EvalError(f"not a valid RFC3339 timestamp: time zone offset out of range in {text!r}")
        tz = timezone(sign * timedelta(hours=hours, minutes=minutes))
    try:
        moment = datetime(year, month, day, hour, minute, second, tzinfo=tz)
    except ValueError as exc:
        raise EvalError(f"not a valid RFC3339 timestamp: {exc}") from None
    nanos = int((fraction[1:] + "000000000")[:9]) if fraction else 0
    return moment, nanos, zone in ("Z", "z")


def _offset(moment: datetime, colon: bool) -> str:
    delta = moment.utcoffset() or timedelta(0)
    minutes = int(delta.total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    hours, mins = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}{':' if colon else ''}{mins:02d}"


def _zone(moment: datetime, utc: bool, token: str) -> str:
    delta = moment.utcoffset() or timedelta(0)
    if token == "Z":
        return "Z" if delta == timedelta(0) else _offset(moment, True)
    if token == "ZZZ":
        return "UTC" if utc else _offset(moment, False)
    if token == "ZZZZ":
        return _offset(moment, False)
    return _offset(moment, True)


def _formatdate(spec: Any, value: Any) -> str:
    pattern = to_string(spec)
    moment, _, utc = parse_timestamp(value)
    out: list[str] = []
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if c == "'":
            end = i + 1
            literal = []
            while True:
                if end >= len(pattern):
                    raise EvalError("unterminated literal quote in the format string")
                if pattern[end] == "'":
                    if pattern[end + 1 : end + 2] == "'":
                        literal.append("'")
                        end += 2
                        continue
                    break
                literal.append(pattern[end])
                end += 1
            out.append("'" if end == i + 1 else "".join(literal))
            i = end + 1
            continue
        if not c.isalpha():
            out.append(c)
            i += 1
            continue
        j = i
        while j < len(pattern) and pattern[j] == c:
            j += 1
        out.append(_token(pattern[i:j], moment, utc))
        i = j
    return "".join(out)


def _token(token: str, moment: datetime, utc: bool) -> str:
    hour12 = moment.hour % 12 or 12
    table = {
        "YYYY": f"{moment.year:04d}",
        "YY": f"{moment.year % 100:02d}",
        "MMMM": _MONTHS[moment.month - 1],
        "MMM": _MONTHS[moment.month - 1][:3],
        "MM": f"{moment.month:02d}",
        "M": str(moment.month),
        "DD": f"{moment.day:02d}",
        "D": str(moment.day),
        "EEEE": _DAYS[moment.weekday()],
        "EEE": _DAYS[moment.weekday()][:3],
        "hh": f"{moment.hour:02d}",
        "h": str(moment.hour),
        "HH": f"{hour12:02d}",
        "H": str(hour12),
        "AA": "AM" if moment.hour < 12 else "PM",
        "aa": "am" if moment.hour < 12 else "pm",
        "mm": f"{moment.minute:02d}",
        "m": str(moment.minute),
        "ss": f"{moment.second:02d}",
        "s": str(moment.second),
    }
    if token in table:
        return table[token]
    if token in ("Z", "ZZZ", "ZZZZ", "ZZZZZ"):
        return _zone(moment, utc, token)
    raise EvalError(f"invalid date format verb {token!r}")


_UNITS = {
    "ns": 1,
    "us": 1_000,
    "µs": 1_000,
    "μs": 1_000,
    "ms": 1_000_000,
    "s": 10**9,
    "m": 60 * 10**9,
    "h": 3600 * 10**9,
}
_PART = re.compile(r"(\d*)(?:\.(\d*))?([a-zµμ]+)")


def parse_duration(value: Any) -> int:
    """Go's time.ParseDuration, in nanoseconds."""
    text = to_string(value)
    body = text[1:] if text[:1] in "+-" else text
    if body == "0":
        return 0
    if not body:
        raise EvalError(f"invalid duration {text!r}")
    total = 0
    pos = 0
    while pos < len(body):
        match = _PART.match(body, pos)
        if match is None or (match.group(1) == "" and not match.group(2)) or match.group(3) not in _UNITS:
            raise EvalError(f"invalid duration {text!r}")
        unit = _UNITS[match.group(3)]
        whole = int(match.group(1) or 0) * unit
        fraction = match.group(2) or ""
        if fraction:
            whole += int(fraction) * unit // 10 ** len(fraction)
        total += whole
        pos = match.end()
    return -total if text.startswith("-") else total


def _rfc3339(moment: datetime, utc: bool) -> str:
    if moment.utcoffset() == timedelta(0):
        return moment.strftime("%Y-%m-%dT%H:%M:%S") + "Z"
    return moment.strftime("%Y-%m-%dT%H:%M:%S") + _offset(moment, True)


def _timeadd(value: Any, duration: Any) -> str:
    moment, nanos, utc = parse_timestamp(value)
    total = nanos + parse_duration(duration)
    seconds, _rest = divmod(total, 10**9)
    return _rfc3339(moment + timedelta(seconds=seconds), utc)


def _timecmp(a: Any, b: Any) -> int:
    first, first_ns, _ = parse_timestamp(a)
    second, second_ns, _ = parse_timestamp(b)
    left = (first.timestamp(), first_ns)
    right = (second.timestamp(), second_ns)
    return (left > right) - (left < right)


def _now() -> Any:
    return UNKNOWN


FUNCTIONS: dict[str, Function] = {
    "formatdate": fn(_formatdate),
    "timeadd": fn(_timeadd),
    "timecmp": fn(_timecmp),
    "timestamp": fn(_now),
    "plantimestamp": fn(_now),
}

"""Hash and crypto functions: md5, sha1, sha256, sha512, base64sha256, base64sha512, uuidv5,
rsadecrypt; uuid() and bcrypt() are random, so unknown until apply (as in a plan)."""

from __future__ import annotations

import base64
import hashlib
import uuid
from typing import Any

from ....model import UNKNOWN
from ..values import EvalError, NotEvaluated, to_string
from . import Function, fn

_NAMESPACES = {
    "dns": uuid.NAMESPACE_DNS,
    "url": uuid.NAMESPACE_URL,
    "oid": uuid.NAMESPACE_OID,
    "x500": uuid.NAMESPACE_X500,
}


def _digest(algorithm: str) -> Any:
    return lambda text: hashlib.new(algorithm, to_string(text).encode("utf-8")).hexdigest()


def _b64digest(algorithm: str) -> Any:
    return lambda text: base64.b64encode(hashlib.new(algorithm, to_string(text).encode("utf-8")).digest()).decode()


def _uuidv5(namespace: Any, name: Any) -> str:
    space = to_string(namespace)
    known = _NAMESPACES.get(space)
    if known is None:
        try:
            known = uuid.UUID(space)
        except ValueError:
            raise EvalError(f"uuidv5() namespace must be dns, url, oid, x500 or a UUID, not {space!r}") from None
    return str(uuid.uuid5(known, to_string(name)))


def _unknown(*args: Any) -> Any:
    return UNKNOWN


def _rsadecrypt(ciphertext: Any, key: Any) -> str:
    try:
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import padding
    except ImportError:
        raise NotEvaluated("rsadecrypt() needs the cryptography package") from None
    try:
        raw = base64.b64decode(to_string(ciphertext), validate=True)
    except ValueError:
        raise EvalError("failed to decode input: illegal base64 data") from None
    try:
        private = serialization.load_pem_private_key(to_string(key).encode(), password=None)
        plain = private.decrypt(raw, padding.PKCS1v15())  # type: ignore[union-attr, call-arg]
    except (ValueError, TypeError):
        raise EvalError("failed to decrypt") from None
    return bytes(plain).decode("utf-8")


FUNCTIONS: dict[str, Function] = {
    "md5": fn(_digest("md5")),
    "sha1": fn(_digest("sha1")),
    "sha256": fn(_digest("sha256")),
    "sha512": fn(_digest("sha512")),
    "base64sha256": fn(_b64digest("sha256")),
    "base64sha512": fn(_b64digest("sha512")),
    "uuidv5": fn(_uuidv5),
    "rsadecrypt": fn(_rsadecrypt),
    "uuid": fn(_unknown),
    "bcrypt": fn(_unknown),
}

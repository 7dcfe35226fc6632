"""A fake Azure over HTTPS on 127.0.0.1: Resource Graph, Key Vault data plane, Entra token endpoint.

Real wire formats (shapes of the REST specs' examples in shared/reference/azure-examples/), so
the real SDK clients talk to it. Every request is recorded (method, host, path, authorized?) so
tests can assert a whole run was read-only. Faults are switched on per test (see `Faults`).
"""

from __future__ import annotations

import base64
import json
import ssl
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

TENANT = "5b2f0c1e-7d4a-4e8b-9c3f-1a6d2e8b4f70"
GRAPH_PATH = "/providers/microsoft.resourcegraph/resources"


@dataclass(frozen=True, slots=True)
class Request:
    method: str
    host: str
    path: str
    query: str
    authorized: bool
    status: int


@dataclass
class Faults:
    #: answer this many Resource Graph POSTs with 429 before serving
    throttle: int = 0
    resets_after: str = "00:00:00.2"
    forbidden_subscriptions: set[str] = field(default_factory=set)
    forbidden_vaults: set[str] = field(default_factory=set)
    #: subscriptions whose query hangs for `hang_seconds` (a timeout on the client side)
    slow_subscriptions: set[str] = field(default_factory=set)
    hang_seconds: float = 3.0
    #: the token endpoint refuses every client
    reject_tokens: bool = False
    #: Resource Graph answers: "truncated" (resultTruncated "true", no skip token), "undercount"
    #: (totalRecords above the rows served), "repeat" (the second page's skip token points at the
    #: second page again), "html" (a proxy's HTML page), "data-object" (`data` not a list),
    #: "rows-not-objects" (a list of strings)
    graph_answer: str = ""
    #: ARM ids whose child reads (protector, diagnostic settings) answer 403
    forbidden_children: set[str] = field(default_factory=set)
    #: child reads hang this long before answering (a client-side timeout)
    slow_children: float = 0.0


class FakeAzure:
    def __init__(self, tmp: Path) -> None:
        import trustme

        self.ca = trustme.CA()
        cert = self.ca.issue_cert("127.0.0.1", "localhost", "*.vault.azure.net")
        self.ca_pem = tmp / "fake-azure-ca.pem"
        self.ca.cert_pem.write_to_path(str(self.ca_pem))
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        cert.configure_cert(context)
        self.rows: dict[str, list[dict[str, Any]]] = {}
        self.keys: dict[tuple[str, str], dict[str, Any]] = {}
        #: ARM GET answers for child resources, by lower-case path
        self.children: dict[str, dict[str, Any]] = {}
        #: the Key Vault DNS suffix the metadata document names (None: the document is not served)
        self.keyvault_dns: str | None = "vault.azure.net"
        self.faults = Faults()
        self.traffic: list[Request] = []
        self._lock = threading.Lock()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.httpd.daemon_threads = True
        # a client that gave up (timeout tests) closes mid-answer: not worth a traceback
        self.httpd.handle_error = lambda request, client_address: None  # type: ignore[method-assign]
        self.httpd.socket = context.wrap_socket(self.httpd.socket, server_side=True)
        self.port = self.httpd.server_address[1]
        self.url = f"https://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> FakeAzure:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def record(self, request: Request) -> None:
        with self._lock:
            self.traffic.append(request)

    def count(self, *, method: str | None = None, host_suffix: str = "", path: str = "") -> int:
        return sum(
            1
            for r in self.traffic
            if (method is None or r.method == method) and r.host.endswith(host_suffix) and path in r.path.lower()
        )


def _handler(fake: FakeAzure) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # quiet
            pass

        # -- plumbing ---------------------------------------------------------------------
        def _send(self, status: int, body: Any = None, headers: dict[str, str] | None = None) -> None:
            raw = b"" if body is None else json.dumps(body).encode()
            self._send_raw(status, raw, "application/json; charset=utf-8", headers)

        def _send_raw(self, status: int, raw: bytes, content_type: str, headers: dict[str, str] | None = None) -> None:
            split = urlsplit(self.path)
            authorized = "Authorization" in self.headers
            fake.record(
                Request(self.command, self.headers.get("Host", ""), split.path, split.query, authorized, status)
            )
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(raw)))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(raw)

        def _body(self) -> bytes:
            return self.rfile.read(int(self.headers.get("Content-Length") or 0))

        def _host(self) -> str:
            return self.headers.get("Host", "").split(":", 1)[0].lower()

        def do_GET(self) -> None:
            host = self._host()
            path = urlsplit(self.path).path
            if host.endswith(".vault.azure.net"):
                return self._vault(host.split(".", 1)[0], path)
            if path.endswith("/.well-known/openid-configuration"):
                return self._openid(path.split("/")[1])
            if path.lower().startswith("/subscriptions/"):
                return self._child(path)
            if path.lower() == "/metadata/endpoints":
                return self._metadata()
            return self._send(404, _arm_error("ResourceNotFound", f"{path} not found"))

        def do_POST(self) -> None:
            body = self._body()
            path = urlsplit(self.path).path
            if path.lower() == GRAPH_PATH:
                return self._graph(json.loads(body or b"{}"))
            if path.endswith("/oauth2/v2.0/token"):
                return self._token(body)
            return self._send(405, _arm_error("MethodNotAllowed", "read-only fake"))

        def _refuse(self) -> None:
            self._body()
            self._send(405, _arm_error("MethodNotAllowed", "the fake is read-only"))

        do_PUT = do_PATCH = do_DELETE = _refuse

        # -- Resource Graph -------------------------------------------------------------------
        def _graph(self, request: dict[str, Any]) -> None:
            faults = fake.faults
            if faults.throttle > 0:
                faults.throttle -= 1
                return self._send(
                    429,
                    _arm_error("RateLimiting", "Please provide below info when asking for support"),
                    {"x-ms-user-quota-remaining": "0", "x-ms-user-quota-resets-after": faults.resets_after},
                )
            subs = [s.lower() for s in request.get("subscriptions") or []]
            if request.get("managementGroups"):
                subs = sorted(fake.rows)
            for sub in subs:
                if sub in faults.forbidden_subscriptions:
                    return self._send(
                        403,
                        _arm_error(
                            "AuthorizationFailed",
                            f"The client does not have authorization to perform action "
                            f"'Microsoft.ResourceGraph/resources/read' over scope '/subscriptions/{sub}'",
                        ),
                    )
                if sub in faults.slow_subscriptions:
                    time.sleep(faults.hang_seconds)
            query = str(request.get("query", "")).lower()
            rows = [
                row
                for sub in subs
                for row in fake.rows.get(sub, ())
                if _table_of(row) == "resources" or (_table_of(row) != "resources" and _table_of(row) in query)
            ]
            rows.sort(key=lambda r: r["id"].lower())
            options = request.get("options") or {}
            top = min(int(options.get("$top") or 100), 1000)
            offset = 0
            token = options.get("$skipToken")
            if token:
                offset = int(base64.b64decode(token).decode().split(":", 1)[1])
            page = rows[offset : offset + top]
            body: dict[str, Any] = {
                "totalRecords": len(rows),
                "count": len(page),
                "resultTruncated": "false",
                "data": page,
                "facets": [],
            }
            if offset + top < len(rows):
                body["$skipToken"] = base64.b64encode(f"page:{offset + top}".encode()).decode()
            answer = faults.graph_answer
            if answer == "truncated":
                body["resultTruncated"] = "true"
                body.pop("$skipToken", None)
            elif answer == "undercount":
                body["totalRecords"] = len(rows) + 7
            elif answer == "repeat" and offset:
                body["$skipToken"] = token  # the same page again, forever
            elif answer == "html":
                return self._send_raw(200, b"<html><body><h1>502 Bad Gateway</h1></body></html>", "text/html")
            elif answer == "data-object":
                body["data"] = {"columns": [], "rows": []}
            elif answer == "rows-not-objects":
                body["data"] = [row["id"] for row in page]
            self._send(200, body)

        # -- ARM metadata (2022-09-01: a list of clouds; the shape the public endpoint answers) --
        def _metadata(self) -> None:
            if fake.keyvault_dns is None:
                return self._send(404, _arm_error("NotFound", "no metadata here"))
            cloud = {
                "name": "FakeCloud",
                "portal": "https://portal.invalid",
                "authentication": {"loginEndpoint": fake.url, "audiences": [fake.url], "tenant": "common"},
                "resourceManager": f"{fake.url}/",
                "suffixes": {"keyVaultDns": fake.keyvault_dns, "storage": "core.windows.net"},
            }
            public = {**cloud, "name": "AzureCloud", "resourceManager": "https://management.azure.com/"}
            public["suffixes"] = {"keyVaultDns": "vault.azure.net", "storage": "core.windows.net"}
            self._send(200, [public, cloud])

        # -- ARM GETs of child resources (TDE protector, diagnostic settings) -----------------
        def _child(self, path: str) -> None:
            if "Authorization" not in self.headers:
                return self._send(401, _arm_error("AuthenticationFailed", "Authentication failed."))
            if fake.faults.slow_children:
                time.sleep(fake.faults.slow_children)
            lowered = path.lower().rstrip("/")
            parent = lowered.split("/providers/microsoft.insights/")[0].removesuffix("/encryptionprotector/current")
            if parent in {p.lower() for p in fake.faults.forbidden_children}:
                return self._send(
                    403,
                    _arm_error(
                        "AuthorizationFailed",
                        f"The client does not have authorization to perform action over scope '{path}'",
                    ),
                )
            found = fake.children.get(lowered)
            if found is not None:
                return self._send(200, found)
            if lowered.endswith("/providers/microsoft.insights/diagnosticsettings"):
                return self._send(200, {"value": []})  # a resource without diagnostic settings
            return self._send(404, _arm_error("ResourceNotFound", f"{path} not found"))

        # -- Key Vault data plane ------------------------------------------------------------
        def _vault(self, vault: str, path: str) -> None:
            if "Authorization" not in self.headers:
                challenge = (
                    f'Bearer authorization="https://login.microsoftonline.com/{TENANT}", '
                    # the port belongs to the resource here: the SDK checks the vault host:port ends in it
                    f'resource="https://vault.azure.net:{fake.port}"'
                )
                return self._send(
                    401,
                    {"error": {"code": "Unauthorized", "message": "AKV10000: Request is missing a Bearer token."}},
                    {"WWW-Authenticate": challenge},
                )
            if vault in fake.faults.forbidden_vaults:
                return self._send(
                    403,
                    {
                        "error": {
                            "code": "Forbidden",
                            "message": "Caller is not authorized to perform action on resource.",
                            "innererror": {"code": "ForbiddenByRbac"},
                        }
                    },
                )
            parts = [p for p in path.split("/") if p]
            if len(parts) < 2 or parts[0] != "keys":
                return self._send(404, {"error": {"code": "NotFound", "message": path}})
            stored = fake.keys.get((vault, parts[1].lower()))
            if stored is None:
                return self._send(
                    404,
                    {
                        "error": {
                            "code": "KeyNotFound",
                            "message": f"A key with (name/id) {parts[1]} was not found in this key vault.",
                        }
                    },
                )
            if len(parts) > 2 and parts[2] == "rotationpolicy":
                return self._send(200, stored["rotationpolicy"])
            self._send(200, {k: v for k, v in stored.items() if k != "rotationpolicy"})

        # -- Entra ID ------------------------------------------------------------------------
        def _openid(self, tenant: str) -> None:
            base = f"https://127.0.0.1:{fake.port}/{tenant}"
            self._send(
                200,
                {
                    "token_endpoint": f"{base}/oauth2/v2.0/token",
                    "authorization_endpoint": f"{base}/oauth2/v2.0/authorize",
                    "issuer": f"{base}/v2.0",
                    "tenant_region_scope": "EU",
                },
            )

        def _token(self, body: bytes) -> None:
            form = parse_qs(body.decode())
            if fake.faults.reject_tokens:
                return self._send(
                    401,
                    {
                        "error": "invalid_client",
                        "error_description": "AADSTS7000215: Invalid client secret provided.",
                        "error_codes": [7000215],
                    },
                )
            scope = form.get("scope", [""])[0]
            self._send(200, {"token_type": "Bearer", "expires_in": 3600, "access_token": f"fake-token-for-{scope}"})

    return Handler


def _table_of(row: dict[str, Any]) -> str:
    kind = str(row.get("type", "")).lower()
    if kind == "microsoft.resources/subscriptions/resourcegroups":
        return "resourcecontainers"
    if kind.startswith("microsoft.recoveryservices/vaults/backupfabrics"):
        return "recoveryservicesresources"
    if kind.startswith("microsoft.authorization/"):
        return "authorizationresources"
    return "resources"


def _arm_error(code: str, message: str) -> dict[str, Any]:
    return {"error": {"code": code, "message": message}}

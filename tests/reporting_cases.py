"""Shared inputs of the audit, waiver and report tests: a small plan and squad-style test modules."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from planbuilder import PlanBuilder

#: planted in the plan as a sensitive value; no output may ever show it
SECRET = "Sup3r-Secret-Adm1n-Pa55!"

PUBLIC = "azurerm_storage_account.public"
PRIVATE = "azurerm_storage_account.private"
LOGS = 'module.spoke["a"].azurerm_storage_account.logs'


def landing_plan(path: Path) -> Path:
    """Three storage accounts (two publicly reachable, no CMK anywhere) and a SQL server whose
    admin password is sensitive, in a variable and in the resource."""
    plan = PlanBuilder()
    plan.variable("sql_admin_password", SECRET, sensitive=True)
    tags = {"environment": "prod"}
    plan.resource(PUBLIC, {"name": "stpublic", "tags": tags, "public_network_access_enabled": True}, unknown=["id"])
    plan.resource(PRIVATE, {"name": "stprivate", "tags": tags, "public_network_access_enabled": False}, unknown=["id"])
    plan.resource(LOGS, {"name": "stlogs", "tags": tags, "public_network_access_enabled": True}, unknown=["id"])
    plan.module_call("spoke", for_each={"a": {}})
    plan.resource(
        "azurerm_mssql_server.sql",
        {
            "name": "sql-prod",
            "tags": tags,
            "administrator_login": "sqladmin",
            "administrator_login_password": SECRET,
            "version": "12.0",
        },
        sensitive=["administrator_login_password"],
        unknown=["id"],
        refs={"administrator_login_password": ["var.sql_admin_password"]},
    )
    return plan.write(path)


#: a squad's test module: a check-like function returning real Findings, a Findings test, a plain
#: assert per resource, a test that errors, and one with a control marker
SQUAD_TESTS = """
import pytest
from pytest_cloudcheck import Finding, Findings

def public_storage(cloud):
    return Findings(
        Finding("demo.public_storage", r.address,
                f"storage account {r.name} allows public network access; required: false", r.origin)
        for r in cloud.resources("azurerm_storage_account")
        if r.values.get("public_network_access_enabled") is not False
    )

@pytest.mark.control("BIO U.07.1")
def test_no_public_storage(cloud):
    assert not public_storage(cloud)

@pytest.mark.resources("azurerm_storage_account")
def test_private_each(resource):
    assert resource.values["public_network_access_enabled"] is False, f"{resource.name} is public"

def test_sql_password_not_in_reports(cloud):
    sql = cloud.get("azurerm_mssql_server.sql")
    assert sql.values["administrator_login_password"] == "something else"

def test_broken(cloud):
    raise RuntimeError("a bug in the test, not a finding")

def test_passes(cloud):
    assert len(cloud.resources("azurerm_storage_account")) == 3
"""


def waivers_file(path: Path, *entries: dict[str, Any]) -> Path:
    """Write a waivers TOML file; `expires` may be an int (days from today) or a date."""
    lines = []
    for entry in entries:
        lines.append("[[waiver]]")
        for key, value in entry.items():
            if key == "expires" and isinstance(value, int):
                value = dt.date.today() + dt.timedelta(days=value)
            if isinstance(value, dt.date):
                lines.append(f"{key} = {value.isoformat()}")
            else:
                lines.append(f"{key} = {json.dumps(value)}")
        lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def waiver(check: str, address: str, expires: int | dt.date = 60, **extra: Any) -> dict[str, Any]:
    return {"check": check, "address": address, "reason": "PBI-1234 vendor sink", "owner": "squad-a", **extra} | {
        "expires": expires
    }

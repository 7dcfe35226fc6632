"""What each row's figures were compared with, when, and the verdict (the SLA table's audit trail).

One `Checked` per product page a rule names (`Published.page`). Verdicts:

- `confirmed`: Microsoft's text (an SLA page, the SLA for Online Services as Microsoft quotes it in
  its docs or issue answers, or a Learn page) gives the figures the row uses;
- `corrected`: as confirmed, after the row's figure was changed to Microsoft's;
- `secondary`: only a third-party list of the SLA gives the figures (re-read the SLA for Online
  Services before relying on them);
- `not found`: no text was found in this reading; the figure stands from the SLA as last read.

Facts only, no text copied. `docs/sla.md` shows the verdict under each row.
"""

from __future__ import annotations

from typing import NamedTuple

#: when the sources below were read
READ = "2026-12-03"


class Checked(NamedTuple):
    verdict: str
    #: the figures compared and where they are published
    against: str
    read: str = READ

    def describe(self) -> str:
        return f"{self.verdict} (read {self.read}): {self.against}"


_SLAMAX = "the SLA list of the slamax npm package (third party)"

CHECKED: dict[str, Checked] = {
    "https://learn.microsoft.com/azure/virtual-machines/availability (SLA for Virtual Machines)": Checked(
        "confirmed",
        "99.99% across two or more zones, 99.95% in an availability set, 99.9% single instance on Premium SSD / "
        "Ultra: SLA for Virtual Machines (azure.microsoft.com/support/legal/sla/virtual-machines, v1.8-v1.9); "
        "99.5% Standard SSD and 95% Standard HDD single instance: SLA v1.9 (July 2020) as quoted in "
        "MicrosoftDocs/azure-docs#60131; managed disks have no SLA of their own: SLA for Managed Disks v1.0 as "
        "quoted in MicrosoftDocs/azure-docs#76511. Scale sets use the VM figures (instances across fault "
        "domains / zones): inferred",
    ),
    "https://learn.microsoft.com/azure/storage/common/storage-redundancy": Checked(
        "confirmed",
        "SLA for Storage Accounts v1.1-v1.5 (azure.microsoft.com/support/legal/sla/storage): reads and writes "
        "99.9% for LRS, ZRS, GRS (cool tier 99%); RA-GRS reads 99.99% (cool 99.9%), writes as GRS. The row uses "
        "the write figure for read-access accounts. GZRS / RA-GZRS and the cold tier as their GRS / cool "
        "counterparts: inferred (not in the versions read)",
    ),
    "https://learn.microsoft.com/azure/reliability/reliability-sql-database": Checked(
        "corrected",
        "SLA for Azure SQL Database v1.6 as Microsoft quotes it (Azure SQL reliability guidance; "
        "MicrosoftDocs/azure-docs#55128, #38547): zone-redundant Business Critical / Premium 99.995% (General "
        "Purpose too in the later version the slamax list quotes); other tiers 99.99%; Hyperscale 99.99% with "
        "two or more replicas, 99.95% with one (was 99.99% here), 99.9% with none (was 99.95% here)",
    ),
    "https://learn.microsoft.com/azure/aks/free-standard-pricing-tiers": Checked(
        "confirmed",
        "Uptime SLA (Standard tier) 99.95% with availability zones, 99.9% without; the Free tier has no "
        "financially backed SLA: Azure/PSRule.Rules.Azure Azure.AKS.UptimeSLA (Microsoft) and " + _SLAMAX,
    ),
    "https://learn.microsoft.com/azure/reliability/reliability-app-service": Checked(
        "confirmed",
        "99.95% for apps on paid plans: SLA for App Service v1.4 as quoted in Microsoft Q&A 632532; no SLA on "
        "Free / Shared and 99.95% for the Functions Consumption plan: third-party pages and " + _SLAMAX,
    ),
    "https://learn.microsoft.com/azure/reliability/reliability-azure-container-apps": Checked(
        "confirmed",
        "zone redundancy raises no SLA: Microsoft's Container Apps reliability page ('no increased SLAs'); "
        "99.95%: third-party pages citing the SLA for Azure Container Apps v1.0",
    ),
    "https://learn.microsoft.com/azure/reliability/reliability-container-instances": Checked(
        "not found", "99.9% for a container group"
    ),
    "https://learn.microsoft.com/azure/reliability/reliability-application-gateway-v2": Checked(
        "not found", "99.95% for v2 (Standard_v2 / WAF_v2), 99.9% for Basic"
    ),
    "https://learn.microsoft.com/azure/firewall/features#availability-zones": Checked(
        "secondary", "99.95% in one zone or none, 99.99% across two or more zones: " + _SLAMAX
    ),
    "https://learn.microsoft.com/azure/vpn-gateway/about-gateway-skus": Checked(
        "corrected",
        "Basic 99.9%, VpnGw1-5 and ExpressRoute gateways 99.95%: SLA for VPN Gateway (azure.cn, 21Vianet's "
        "edition) and " + _SLAMAX + "; zone-redundant AZ SKUs 99.95% (was 99.99% here): Microsoft's answer in "
        "MicrosoftDocs/azure-docs#43147 ('the SLA is same for Zone Redundant gateway'), and Reliability in "
        "Azure virtual network gateways (2025-11-11): only leaving Basic raises the SLA",
    ),
    "https://learn.microsoft.com/azure/load-balancer/skus": Checked(
        "confirmed",
        "Basic has no SLA: Load Balancer overview (MicrosoftDocs/azure-docs); Standard 99.99%: " + _SLAMAX,
    ),
    "https://learn.microsoft.com/azure/virtual-network/ip-services/public-ip-addresses#sku": Checked(
        "not found", "Standard 99.99%, Basic none"
    ),
    "https://learn.microsoft.com/azure/private-link/private-link-overview": Checked("secondary", "99.99%: " + _SLAMAX),
    "https://learn.microsoft.com/azure/nat-gateway/nat-overview": Checked(
        "secondary", "99.99% (Azure VNet NAT): " + _SLAMAX
    ),
    "https://learn.microsoft.com/azure/bastion/bastion-overview": Checked(
        "confirmed",
        "99.95%: SLA for Azure Bastion (azure.cn, 21Vianet's edition) and " + _SLAMAX + "; Developer SKU with "
        "no SLA: not found",
    ),
    "https://learn.microsoft.com/azure/dns/dns-overview": Checked("secondary", "100%: " + _SLAMAX),
    "https://learn.microsoft.com/azure/frontdoor/front-door-overview": Checked("secondary", "99.99%: " + _SLAMAX),
    "https://learn.microsoft.com/azure/reliability/reliability-sql-managed-instance": Checked(
        "confirmed", "99.99%: Microsoft's answer in MicrosoftDocs/azure-docs#38547 and " + _SLAMAX
    ),
    "https://learn.microsoft.com/azure/reliability/reliability-database-postgresql": Checked(
        "secondary", "99.9% without HA, 99.95% same-zone HA, 99.99% zone-redundant HA: " + _SLAMAX
    ),
    "https://learn.microsoft.com/azure/reliability/reliability-mysql": Checked(
        "not found", "as PostgreSQL flexible server: 99.9% / 99.95% same-zone HA / 99.99% zone-redundant HA"
    ),
    "https://learn.microsoft.com/azure/reliability/reliability-cosmos-db-nosql": Checked(
        "corrected",
        "Cosmos DB high-availability SLA table (MicrosoftDocs/azure-docs, cosmos-db/high-availability.md): writes "
        "99.99% one region, 99.995% one region with zones, 99.99% multi-region single write, 99.995% multi-region "
        "single write with zones (was 99.99% here), 99.999% multi-region writes; reads 99.999% multi-region",
    ),
    "https://learn.microsoft.com/azure/azure-cache-for-redis/cache-high-availability": Checked(
        "secondary",
        "Basic none; Standard / Premium 99.9%: " + _SLAMAX + "; Premium across zones 99.95%: not found",
    ),
    "https://learn.microsoft.com/azure/key-vault/general/disaster-recovery-guidance": Checked(
        "secondary", "99.99%: " + _SLAMAX
    ),
    "https://learn.microsoft.com/azure/key-vault/managed-hsm/overview": Checked(
        "corrected", "99.9% (was 99.99% here; the only figure found): " + _SLAMAX
    ),
    "https://learn.microsoft.com/azure/reliability/reliability-event-hubs": Checked(
        "secondary", "Basic / Standard 99.95%, Premium / Dedicated 99.99%: " + _SLAMAX
    ),
    "https://learn.microsoft.com/azure/event-hubs/event-hubs-dedicated-overview": Checked(
        "secondary", "Dedicated 99.99%: " + _SLAMAX
    ),
    "https://learn.microsoft.com/azure/reliability/reliability-service-bus": Checked(
        "secondary",
        "Basic / Standard 99.9%: " + _SLAMAX + "; Premium 99.95%: not found (Azure/reliability-workbook#173 "
        "cites 99.99% for Premium with zones and partitions)",
    ),
    "https://learn.microsoft.com/azure/container-registry/container-registry-skus": Checked(
        "not found", "99.9% for every tier"
    ),
    "https://learn.microsoft.com/azure/azure-app-configuration/faq": Checked(
        "not found", "Free / Developer none, Standard / Premium 99.9%"
    ),
    "https://learn.microsoft.com/azure/azure-monitor/logs/availability-zones": Checked(
        "secondary", "Log Analytics 99.9%: " + _SLAMAX
    ),
    "https://learn.microsoft.com/azure/azure-monitor/app/app-insights-overview": Checked(
        "secondary", "Application Insights 99.9%: " + _SLAMAX
    ),
}

__all__ = ["CHECKED", "Checked"]

output "vnet_ids" {
  description = "Spoke VNet ids by municipality: give these to the hub."
  value       = { for k, s in module.spoke : k => s.vnet_id }
}

locals {
  suffix   = "${var.name}-${var.environment}-weu"
  cmk_keys = toset(["disk", "postgres", "sql", "storage"])
}

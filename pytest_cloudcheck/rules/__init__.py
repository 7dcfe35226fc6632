"""Per-type data tables (where a key, an SLA or a cost lives per resource type).

Data about types, like `azure_types`: below `encryption` and the checks, importing neither.
"""

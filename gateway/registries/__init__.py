"""Lookups in the national population and business registries, and their audit trail."""

"""Writes to the catalogue: one keyword-only function per action, validated, atomic, audited. Import from here."""

from grassroots.catalogue.services.community import brand_create, brand_update, station_create, station_update
from grassroots.catalogue.services.district import (
    attribute_create,
    attribute_delete,
    attribute_update,
    category_create,
    category_update,
    item_create,
    item_set_active,
    item_update,
    sla_policy_create,
    sla_policy_update,
)
from grassroots.catalogue.services.install import catalogue_install_defaults

__all__ = [
    "attribute_create",
    "attribute_delete",
    "attribute_update",
    "brand_create",
    "brand_update",
    "catalogue_install_defaults",
    "category_create",
    "category_update",
    "item_create",
    "item_set_active",
    "item_update",
    "sla_policy_create",
    "sla_policy_update",
    "station_create",
    "station_update",
]

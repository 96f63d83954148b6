"""Frontline permission predicates, one module per area; imported here so ``rules`` autodiscovery registers them."""

from grassroots.frontline.rules import campaigns, points, reporting  # noqa: F401

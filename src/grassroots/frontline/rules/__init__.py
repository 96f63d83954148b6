"""Frontline permission predicates, one module per area (``reporting``, ``points``, ``campaigns``)."""

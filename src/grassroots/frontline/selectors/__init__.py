"""Frontline reads, one module per area (``reporting``, ``points``, ``campaigns``); each takes the acting user."""

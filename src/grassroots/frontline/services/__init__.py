"""Frontline services: reporting, points and campaigns. Import from the submodules."""

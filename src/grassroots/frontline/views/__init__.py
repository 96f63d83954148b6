"""Frontline staff pages (community, street and unit admins)."""

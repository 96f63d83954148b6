"""Writes about accounts: users and role assignments."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from grassroots.accounts.enums import Role
from grassroots.accounts.models import RoleAssignment, User
from grassroots.accounts.roles import ORGANIZATION_ROLES, ROLE_LEVELS
from grassroots.core.audit import audit_record
from grassroots.core.errors import ApplicationError
from grassroots.core.models import AuditAction
from grassroots.organizations.models import Organization
from grassroots.people.models import Person
from grassroots.territory.models import Grid, Region


@transaction.atomic
def user_create(
    *,
    actor: Any,
    username: str,
    password: str,
    person: Person | None = None,
    check_password: bool = True,
    is_superuser: bool = False,
) -> User:
    if User.objects.filter(username=username).exists():
        raise ApplicationError("username_taken", _("This user name is taken."), fields={"username": [_("Taken.")]})
    user = User(username=username, person=person, is_staff=is_superuser, is_superuser=is_superuser)
    if person is not None:
        user.first_name = person.name
    if check_password:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise ApplicationError(
                "password_invalid", "; ".join(exc.messages), fields={"password": exc.messages}
            ) from exc
    user.set_password(password)
    user.save()
    audit_record(actor=actor, action=AuditAction.CREATE, target=user, changes={"username": username})
    return user


@transaction.atomic
def role_assign(
    *,
    actor: Any,
    user: User,
    role: str,
    region: Region | None = None,
    grid: Grid | None = None,
    organization: Organization | None = None,
) -> RoleAssignment:
    """Give ``user`` a role anchored at a region (of a level the role allows) or, for grid workers, a grid.

    Department staff and unit admins also name the organisation they act for."""
    if role not in Role.values:
        raise ApplicationError("role_unknown", _("Unknown role."))
    level = "grid" if grid is not None else (region.kind if region is not None else None)
    if level is None or (grid is not None and region is not None):
        raise ApplicationError("role_anchor", _("A role applies to exactly one region or grid."))
    if level not in ROLE_LEVELS[role]:
        raise ApplicationError(
            "role_anchor_level",
            _("The role %(role)s cannot be given at this level.") % {"role": Role(role).label},
        )
    if organization is not None and organization.kind not in ORGANIZATION_ROLES.get(role, frozenset()):
        raise ApplicationError("role_organization", _("This role cannot act for this organisation."))
    assignment, created = RoleAssignment.objects.get_or_create(
        user=user, role=role, region=region, grid=grid, defaults={"organization": organization}
    )
    if not created and organization is not None and assignment.organization_id != organization.pk:
        assignment.organization = organization
        assignment.save(update_fields=["organization"])
    if role == Role.DISTRICT_ADMIN and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    user.refresh_scope()
    if created:
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            target=assignment,
            changes={"role": role},
            scope_region=region or (grid.community if grid else None),
        )
    return assignment

"""One importer per kind of data; ``IMPORTERS`` maps the kind (``ImportKind``) to its class."""

from __future__ import annotations

from django.http import Http404

from grassroots.imports.importers.base import Importer
from grassroots.imports.importers.hotline import HotlineImporter
from grassroots.imports.importers.member_roster import MemberRosterImporter
from grassroots.imports.importers.memberships import PartyMembershipImporter
from grassroots.imports.importers.organizations import OrganizationImporter
from grassroots.imports.importers.persons import PersonImporter
from grassroots.imports.importers.territory import GridImporter, RegionImporter

IMPORTERS: dict[str, type[Importer]] = {
    cls.kind: cls
    for cls in (
        RegionImporter,
        GridImporter,
        OrganizationImporter,
        PersonImporter,
        PartyMembershipImporter,
        HotlineImporter,
        MemberRosterImporter,
    )
}


def importer_for(kind: str) -> type[Importer]:
    try:
        return IMPORTERS[kind]
    except KeyError:
        raise Http404(kind) from None

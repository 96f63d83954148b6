"""The tables of the list pages (django-tables2). Columns only read what the view's queryset selected."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from grassroots.organizations.models import Organization
from grassroots.people.models import Person
from grassroots.territory.models import Grid, Region

MONO = {"td": {"class": "mono"}}
NUM = {"td": {"class": "num"}, "th": {"class": "num"}}


class BaseTable(tables.Table):
    class Meta:
        attrs = {"class": "data"}
        empty_text = _("No records match.")


class RegionTable(BaseTable):
    name = tables.Column(verbose_name=_("Name"), linkify=True)
    kind = tables.Column(verbose_name=_("Kind"))
    code = tables.Column(verbose_name=_("Code"), attrs=MONO)
    numchild = tables.Column(verbose_name=_("Sub-regions"), attrs=NUM)

    class Meta(BaseTable.Meta):
        model = Region
        fields = ("name", "kind", "code", "numchild")


class GridTable(BaseTable):
    code = tables.Column(verbose_name=_("Code"), attrs=MONO)
    name = tables.Column(verbose_name=_("Name"), linkify=("web:grid_detail", [tables.A("pk")]))
    community = tables.Column(
        verbose_name=_("Community"),
        accessor="community__name",
        order_by=("community__path", "code"),
        linkify=("web:region_detail", [tables.A("community_id")]),
    )
    areas = tables.Column(verbose_name=_("Areas covered"), accessor="pk", orderable=False)

    class Meta(BaseTable.Meta):
        model = Grid
        fields = ("code", "name", "community", "areas")

    def render_areas(self, record: Grid) -> str:
        # ``areas`` is prefetched (scoped) by the view.
        return "、".join(area.name for area in record.areas.all()) or "—"


class OrganizationTable(BaseTable):
    code = tables.Column(verbose_name=_("Code"), attrs=MONO)
    name = tables.Column(verbose_name=_("Name"), linkify=("web:organization_detail", [tables.A("pk")]))
    kind = tables.Column(verbose_name=_("Kind"))
    region = tables.Column(verbose_name=_("Region served"), accessor="region__name", order_by=("region__path", "code"))
    parent = tables.Column(
        verbose_name=_("Parent organisation"), accessor="parent__name", order_by=("parent__code", "code"), default="—"
    )

    class Meta(BaseTable.Meta):
        model = Organization
        fields = ("code", "name", "kind", "region", "parent")


class PersonTable(BaseTable):
    name = tables.Column(
        verbose_name=pgettext_lazy("person", "Name"),
        linkify=("web:person_detail", [tables.A("pk")]),
        order_by=("name_pinyin", "id"),
    )
    gender = tables.Column(verbose_name=_("Gender"))
    ethnicity = tables.Column(verbose_name=_("Ethnic group"), accessor="ethnicity__name", order_by=("ethnicity__code",))
    community = tables.Column(
        verbose_name=_("Community"),
        accessor="community__name",
        order_by=("community__path", "name_pinyin"),
        default="—",
    )
    compound = tables.Column(
        verbose_name=_("Compound"), accessor="compound__name", order_by=("compound__path", "name_pinyin"), default="—"
    )
    # Masked, never clear; not sortable (the column is encrypted).
    mobile = tables.Column(verbose_name=_("Mobile"), accessor="mobile_masked", orderable=False, attrs=MONO, default="—")
    id_number = tables.Column(
        verbose_name=_("ID number"), accessor="id_number_masked", orderable=False, attrs=MONO, default="—"
    )

    class Meta(BaseTable.Meta):
        model = Person
        fields = ("name", "gender", "ethnicity", "community", "compound", "mobile", "id_number")

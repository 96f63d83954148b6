"""Forms of the party members' frontline phone pages: reporting to the community where one lives."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from grassroots.catalogue.models import ServiceCategory
from grassroots.people.models import Person
from grassroots.territory.enums import RegionKind
from grassroots.territory.models import Region

MAX_POSTS = 3


def report_places(person: Person) -> list[Region]:
    """Where the member may report: the community they live in, then their own compound."""
    places: list[Region] = []
    if person.community_id is not None:
        places.extend(Region.objects.filter(pk=person.community_id, kind=RegionKind.COMMUNITY))
    if person.compound_id is not None:
        places.extend(Region.objects.filter(pk=person.compound_id, kind=RegionKind.COMPOUND))
    return places


class MemberReportForm(forms.Form):
    """The community or compound reported to, one to three service posts and the member's skills."""

    region = forms.ModelChoiceField(
        label=_("Report to"),
        queryset=Region.objects.none(),
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose the community or compound where you live.")},
    )
    posts = forms.ModelMultipleChoiceField(
        label=_("Service posts (one to three)"),
        queryset=ServiceCategory.objects.filter(is_active=True).order_by("order", "code"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose one to three service posts.")},
    )
    skills = forms.CharField(
        label=_("Skills (optional)"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. first aid, law, repairs, calligraphy")}),
    )

    def __init__(self, *args: Any, places: list[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["region"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Region.objects.filter(pk__in=[p.pk for p in places]).order_by("depth")
        if places and "region" not in self.initial:
            self.initial["region"] = places[0].pk

    def clean_posts(self) -> list[ServiceCategory]:
        posts = list(self.cleaned_data["posts"])
        if not 1 <= len(posts) <= MAX_POSTS:
            raise forms.ValidationError(_("Choose one to three service posts."))
        return posts

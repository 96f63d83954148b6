"""Admin for persons, party membership, roles held and the ethnic-group table.

A person's ID number, mobile number and address never reach the admin's HTML: the change page shows them
masked, and replaces them through write-only inputs (left empty, a value stays as it is). The birth date is
write-only too and the age is shown instead: the birth date would fill in the digits a masked ID number hides. Saves go through
``person_create`` / ``person_update``, which validate, hash, fill the scope columns and audit.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from grassroots.accounts.enums import Capability
from grassroots.core.admin import (
    CommunityListFilter,
    ScopedHistoryAdmin,
    WriteOnlyDateInput,
    WriteOnlyInput,
    community_filter,
)
from grassroots.core.personal_data import mask_address, mask_id_number, mask_mobile
from grassroots.people.models import Ethnicity, PartyMembership, Person, PersonRole
from grassroots.people.selectors import person_search_q
from grassroots.people.services import (
    PersonData,
    party_membership_set,
    person_create,
    person_role_assign,
    person_update,
)

KEEP_HINT = _("Leave empty to keep the current value.")


@admin.register(Ethnicity)
class EthnicityAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Reference data (GB/T 3304), the same for every region, so not scoped: any staff may read it, only
    superusers edit it."""

    list_display = ("code", "name")
    search_fields = ("code", "name")
    ordering = ("code",)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and request.user.is_staff)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_active and request.user.is_staff)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)


class PersonAdminForm(forms.ModelForm):  # type: ignore[type-arg]
    new_id_number = forms.CharField(
        label=_("New ID number"),
        required=False,
        max_length=18,
        help_text=KEEP_HINT,
        widget=WriteOnlyInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    new_mobile = forms.CharField(
        label=_("New mobile number"),
        required=False,
        max_length=20,
        help_text=KEEP_HINT,
        widget=WriteOnlyInput(attrs={"autocomplete": "off", "inputmode": "tel"}),
    )
    new_address = forms.CharField(
        label=_("New address"),
        required=False,
        max_length=200,
        help_text=KEEP_HINT,
        widget=WriteOnlyInput(attrs={"autocomplete": "off"}),
    )

    new_birth_date = forms.DateField(
        label=_("New birth date"),
        required=False,
        help_text=_("Leave empty to keep it, or to take it from a new ID number."),
        widget=WriteOnlyDateInput(attrs={"type": "date", "autocomplete": "off"}),
    )

    class Meta:
        model = Person
        # The encrypted columns and the birth date are deliberately absent: shown masked, replaced write-only.
        fields = ("name", "gender", "ethnicity", "household")

    def person_data(self) -> PersonData:
        data = self.cleaned_data
        person = self.instance
        return PersonData(
            name=data["name"],
            gender=data.get("gender") or "",
            ethnicity=data.get("ethnicity"),
            # A new ID number brings its own birth date unless one is given with it.
            birth_date=data.get("new_birth_date") or (None if data.get("new_id_number") else person.birth_date),
            id_number=data.get("new_id_number") or (person.id_number or ""),
            mobile=data.get("new_mobile") or (person.mobile or ""),
            address=data.get("new_address") or (person.address or ""),
            household=data.get("household"),
        )


@admin.register(Person)
class PersonAdmin(ScopedHistoryAdmin):
    form = PersonAdminForm
    manage_capability = Capability.MANAGE_PEOPLE
    service_error_fields = {
        "id_number": "new_id_number",
        "mobile": "new_mobile",
        "address": "new_address",
        "birth_date": "new_birth_date",
    }
    history_hidden_fields = ("birth_date",)
    list_display = ("name", "gender", "ethnicity", "community", "compound", "masked_mobile", "masked_id_number")
    list_filter = ("gender", CommunityListFilter)
    list_select_related = ("ethnicity", "community", "compound")
    search_fields = ("name", "name_pinyin", "name_initials")
    search_help_text = _("Name, pinyin, initials, or a complete mobile or ID number.")
    autocomplete_fields = ("household",)
    readonly_fields = (
        "age",
        "masked_id_number",
        "masked_mobile",
        "masked_address",
        "street",
        "community",
        "compound",
        "grid",
    )
    fieldsets = (
        (None, {"fields": ("name", "gender", "ethnicity", "age", "new_birth_date", "household")}),
        (
            _("Personal data"),
            {
                "fields": (
                    "masked_id_number",
                    "new_id_number",
                    "masked_mobile",
                    "new_mobile",
                    "masked_address",
                    "new_address",
                ),
                "description": _("Numbers are shown masked. To see one in full, use the person's page."),
            },
        ),
        (_("Place"), {"fields": ("street", "community", "compound", "grid")}),
    )

    @admin.display(description=_("age"))
    def age(self, obj: Person) -> str:
        return "—" if obj.age is None else str(obj.age)

    @admin.display(description=_("ID number"))
    def masked_id_number(self, obj: Person) -> str:
        return mask_id_number(obj.id_number) or "—"

    @admin.display(description=_("mobile number"))
    def masked_mobile(self, obj: Person) -> str:
        return mask_mobile(obj.mobile) or "—"

    @admin.display(description=_("address"))
    def masked_address(self, obj: Person) -> str:
        return mask_address(obj.address) or "—"

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Any], search_term: str
    ) -> tuple[QuerySet[Any], bool]:
        """The same matching as the person list: name, pinyin, initials, or an exact number through its hash."""
        if not search_term.strip():
            return queryset, False
        return queryset.filter(person_search_q(search_term)), False

    def service_save(self, request: HttpRequest, form: Any, change: bool) -> Person:
        data = form.person_data()
        if change:
            return person_update(actor=request.user, person=form.instance, data=data, request=request)
        return person_create(actor=request.user, data=data, request=request)


class PartyMembershipAdminForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = PartyMembership
        fields = ("person", "organization", "joined_on", "category", "home_unit")


@admin.register(PartyMembership)
class PartyMembershipAdmin(ScopedHistoryAdmin):
    form = PartyMembershipAdminForm
    manage_capability = Capability.MANAGE_PEOPLE
    list_display = ("person", "organization", "category", "joined_on")
    list_filter = ("category", community_filter("person__community"))
    list_select_related = ("person", "organization")
    search_fields = ("person__name", "person__name_initials", "organization__name")
    autocomplete_fields = ("person", "organization", "home_unit")
    ordering = ("person__name_pinyin", "pk")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ("person",) if obj is not None else ()

    def service_save(self, request: HttpRequest, form: Any, change: bool) -> PartyMembership:
        data = form.cleaned_data
        return party_membership_set(
            actor=request.user,
            person=form.instance.person if change else data["person"],
            organization=data["organization"],
            joined_on=data["joined_on"],
            category=data["category"],
            home_unit=data.get("home_unit"),
        )


@admin.register(PersonRole)
class PersonRoleAdmin(ScopedHistoryAdmin):
    """Roles are given through ``person_role_assign``; to change one, remove it and give it again."""

    manage_capability = Capability.MANAGE_PEOPLE
    list_display = ("person", "kind", "region", "grid", "employment", "since")
    list_filter = ("kind", "employment", CommunityListFilter)
    list_select_related = ("person", "region", "grid")
    search_fields = ("person__name", "person__name_initials")
    autocomplete_fields = ("person", "region", "grid")
    ordering = ("person__name_pinyin", "kind", "pk")
    fields = ("person", "kind", "region", "grid", "employment", "since")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    def service_save(self, request: HttpRequest, form: Any, change: bool) -> PersonRole:
        data = form.cleaned_data
        return person_role_assign(
            actor=request.user,
            person=data["person"],
            kind=data["kind"],
            region=data.get("region"),
            grid=data.get("grid"),
            employment=data.get("employment") or "",
            since=data.get("since"),
        )

"""The resident-needs figures of the source (7,192 wishes, 9,037 deeds, 26,000 residents served …)."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from grassroots.cockpit.registry import Metric, register

CASE = "cases.Case"
SATISFIED = ("satisfied", "basic")

register(
    Metric(
        key="cases_submitted",
        label=_("Needs taken in"),
        unit="items",
        rule="count",
        model=CASE,
        date_field="submitted_at",
        dimension="category",
        dimension_label=_("service category"),
        app="cases",
        order=20,
        definition=_(
            "Cases of every kind (micro-wishes, difficulties, appointments, grid events), counted on the day "
            "they were submitted, where the place they concern lies."
        ),
    )
)
register(
    Metric(
        key="micro_wishes_submitted",
        label=_("Micro-wishes posted"),
        unit="items",
        rule="count",
        model=CASE,
        date_field="submitted_at",
        where=Q(kind="micro_wish"),
        app="cases",
        order=21,
        definition=_("Micro-wishes, counted on the day they were submitted."),
    )
)
register(
    Metric(
        key="micro_wishes_claimed",
        label=_("Micro-wishes claimed"),
        unit="items",
        rule="count",
        model=CASE,
        date_field="claimed_at",
        where=Q(kind="micro_wish", claimed_at__isnull=False),
        app="cases",
        order=22,
        definition=_(
            "Micro-wishes with a claim standing, counted on the day of the claim (a released claim that was "
            "claimed again counts on the later day)."
        ),
    )
)
register(
    Metric(
        key="micro_wishes_fulfilled",
        label=_("Micro-wishes fulfilled"),
        unit="items",
        rule="count",
        model=CASE,
        date_field="deed_at",
        where=Q(kind="micro_wish", deed_at__isnull=False),
        app="cases",
        order=23,
        definition=_("Micro-wishes fulfilled for the first time, counted on the day of that fulfilment."),
    )
)
register(
    Metric(
        key="deeds_done",
        label=_("Practical deeds done"),
        unit="items",
        rule="count",
        model=CASE,
        date_field="deed_at",
        where=Q(deed_at__isnull=False),
        dimension="category",
        dimension_label=_("service category"),
        app="cases",
        order=24,
        definition=_("Cases of any kind done for the first time (好事实事), counted once, on the day they were done."),
    )
)
register(
    Metric(
        key="residents_served",
        label=_("Residents served"),
        unit="person_times",
        rule="sum",
        model=CASE,
        date_field="deed_at",
        where=Q(deed_at__isnull=False),
        value_field="residents_served",
        dimension="requester__ethnicity",
        dimension_label=_("ethnic group of the resident"),
        watch=(("people.Person", "requester"),),
        app="cases",
        order=25,
        definition=_(
            "The residents each deed served (服务人次), as recorded at its first fulfilment, summed by the day "
            "of the deed."
        ),
    )
)
register(
    Metric(
        key="red_rope_difficulties_solved",
        label=_("Difficulties solved at Red Rope stations"),
        unit="items",
        rule="count",
        model=CASE,
        date_field="deed_at",
        where=Q(kind="difficulty", station__isnull=False, deed_at__isnull=False),
        app="cases",
        order=26,
        definition=_("Difficulties taken in at a 为民红绳 station and done, counted on the day they were done."),
    )
)
register(
    Metric(
        key="cases_rated",
        label=_("Ratings given"),
        unit="items",
        rule="count",
        model=CASE,
        date_field="rated_at",
        where=Q(rated_at__isnull=False) & ~Q(satisfaction=""),
        app="cases",
        order=27,
        definition=_("Cases whose latest rating was given in the period (the resident's or one taken by phone)."),
    )
)
register(
    Metric(
        key="cases_satisfied",
        label=_("Satisfied ratings"),
        unit="items",
        rule="count",
        model=CASE,
        date_field="rated_at",
        where=Q(rated_at__isnull=False, satisfaction__in=SATISFIED),
        app="cases",
        order=28,
        definition=_("Cases whose latest rating is satisfied or basically satisfied."),
    )
)
register(
    Metric(
        key="cases_resolved",
        label=_("Rated as resolved"),
        unit="items",
        rule="count",
        model=CASE,
        date_field="rated_at",
        where=Q(rated_at__isnull=False, rating_resolved=True) & ~Q(satisfaction=""),
        app="cases",
        order=30,
        definition=_("Cases whose latest rating says the problem was resolved, by the day of the rating."),
    )
)
register(
    Metric(
        key="resolution_rate",
        label=_("Resolution rate"),
        unit="percent",
        rule="rate",
        numerator="cases_resolved",
        denominator="cases_rated",
        app="cases",
        order=31,
        definition=_("Cases rated as resolved ÷ ratings given × 100, from the summed counts."),
    )
)
register(
    Metric(
        key="satisfaction_rate",
        label=_("Satisfaction rate"),
        unit="percent",
        rule="rate",
        numerator="cases_satisfied",
        denominator="cases_rated",
        app="cases",
        order=29,
        definition=_("Satisfied ratings ÷ ratings given × 100, from the summed counts of the region and period."),
    )
)

"""Points follow what the case services report (see ``grassroots.cases.signals``)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from grassroots.cases import signals


@receiver(signals.case_fulfilled, dispatch_uid="frontline_points_on_fulfil")
def _points_on_fulfil(sender: Any, case: Any, at: Any, **kwargs: Any) -> None:
    from grassroots.frontline.services.points import points_award_for_case

    points_award_for_case(case=case)


@receiver(signals.case_rated, dispatch_uid="frontline_points_on_rate")
def _points_on_rate(sender: Any, case: Any, at: Any, **kwargs: Any) -> None:
    from grassroots.frontline.services.points import points_award_for_case

    points_award_for_case(case=case)


@receiver(signals.case_closed, dispatch_uid="frontline_points_on_close")
def _points_on_close(sender: Any, case: Any, at: Any, **kwargs: Any) -> None:
    from grassroots.frontline.services.points import points_award_for_case

    points_award_for_case(case=case)

"""The cockpit's pages: the dashboard (region switcher, period picker, cards, charts, rankings, breakdown)."""

from grassroots.cockpit.views.dashboard import DashboardView
from grassroots.cockpit.views.periods import PERIODS, PeriodForm, period_bounds

__all__ = ["PERIODS", "DashboardView", "PeriodForm", "period_bounds"]

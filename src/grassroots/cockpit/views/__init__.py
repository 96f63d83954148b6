"""The cockpit's pages: the dashboard (region switcher, period picker, cards, charts, breakdown) and its rankings."""

from grassroots.cockpit.views.dashboard import DashboardView, RankingsView
from grassroots.cockpit.views.periods import PERIODS, PeriodForm, period_bounds

__all__ = ["PERIODS", "DashboardView", "PeriodForm", "RankingsView", "period_bounds"]

from grassroots.cockpit.models.reports import ReportKind, ReportStatus, WorkReport  # noqa: F401
from grassroots.cockpit.models.rollups import STOCK_DAY, Rollup

__all__ = ["STOCK_DAY", "Rollup"]

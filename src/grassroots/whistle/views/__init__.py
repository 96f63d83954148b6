"""Staff pages of whistles: the board, my whistles (departments), blowing, a whistle's page with its actions, the
photo on site, and the departments' scorecards."""

from grassroots.whistle.views.blow import WhistleCreateView
from grassroots.whistle.views.board import MyWhistlesView, WhistleBoardView
from grassroots.whistle.views.detail import CallPhotoView, WhistleActionView, WhistleDetailView
from grassroots.whistle.views.scorecards import DepartmentScorecardView, ScorecardsView

__all__ = [
    "CallPhotoView",
    "DepartmentScorecardView",
    "MyWhistlesView",
    "ScorecardsView",
    "WhistleActionView",
    "WhistleBoardView",
    "WhistleCreateView",
    "WhistleDetailView",
]

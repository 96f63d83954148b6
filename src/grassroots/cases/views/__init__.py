"""Staff pages for residents' needs: the inbox, the case page and its actions, intake, the wish wall, photos."""

from grassroots.cases.views.actions import CaseActionView
from grassroots.cases.views.detail import CaseDetailView
from grassroots.cases.views.inbox import CaseListView
from grassroots.cases.views.intake import (
    CaseCreateView,
    IntakePlaceFieldsView,
    IntakeServiceFieldsView,
    IntakeSimilarView,
)
from grassroots.cases.views.photos import CasePhotoView
from grassroots.cases.views.wishes import WishWallView

__all__ = [
    "CaseActionView",
    "CaseCreateView",
    "CaseDetailView",
    "CaseListView",
    "CasePhotoView",
    "IntakePlaceFieldsView",
    "IntakeServiceFieldsView",
    "IntakeSimilarView",
    "WishWallView",
]

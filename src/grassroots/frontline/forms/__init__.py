"""Forms of the frontline staff pages, one module per area. They parse input and limit choices to what the user
may pick; the services validate and write."""

from grassroots.frontline.forms.campaigns import CampaignForm, PlaceForm, ShiftForm
from grassroots.frontline.forms.points import FeedbackForm, RankingForm, RulesPublishForm, ServiceRecordForm
from grassroots.frontline.forms.reporting import (
    BulkConfirmForm,
    CommitmentFormSet,
    ConfirmForm,
    ProjectAddForm,
    ProjectUpdateForm,
    ResourceFormSet,
    ReturnForm,
    UnitReportForm,
)

__all__ = [
    "BulkConfirmForm",
    "CampaignForm",
    "CommitmentFormSet",
    "ConfirmForm",
    "FeedbackForm",
    "PlaceForm",
    "ProjectAddForm",
    "ProjectUpdateForm",
    "RankingForm",
    "ResourceFormSet",
    "ReturnForm",
    "RulesPublishForm",
    "ServiceRecordForm",
    "ShiftForm",
    "UnitReportForm",
]

"""Page views: thin classes that authorise, call selectors or services, and render.

Each view names the model it serves (``model`` and ``scoped_model``) so the scope-matrix test can find it.
"""

from grassroots.web.views.audit import AuditListView
from grassroots.web.views.home import HomeView
from grassroots.web.views.people import PersonDetailView, PersonListView, PersonUnmaskView
from grassroots.web.views.territory import GridDetailView, GridListView, RegionDetailView, RegionRootsView

__all__ = [
    "AuditListView",
    "GridDetailView",
    "GridListView",
    "HomeView",
    "PersonDetailView",
    "PersonListView",
    "PersonUnmaskView",
    "RegionDetailView",
    "RegionRootsView",
]

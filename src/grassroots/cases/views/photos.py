"""Case photos, served only to someone who may open the case (its handlers' scope, the requester, the claimer).

Staff pages and the resident portal both link here; any other reader, and any unknown token, gets a 404.
"""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest
from django.views import View

from grassroots.cases import selectors
from grassroots.cases.models import Case, CasePhoto


class CasePhotoView(View):
    http_method_names = ["get", "head"]
    scoped_model = CasePhoto

    def get(self, request: HttpRequest, token: str) -> FileResponse:
        visible = Case.objects.filter(selectors.case_visibility_q(request.user)).values("pk")
        photo = CasePhoto.objects.filter(token=token, case_id__in=visible).first()
        if photo is None:
            raise Http404
        try:
            handle = photo.image.open("rb")
        except (FileNotFoundError, OSError) as exc:
            raise Http404 from exc
        response = FileResponse(handle, content_type=photo.content_type)
        response["Cache-Control"] = "private, max-age=3600"
        response["X-Content-Type-Options"] = "nosniff"
        return response

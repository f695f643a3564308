"""File downloads, each behind the same permission check as the page that links to it."""

from django.http import FileResponse, Http404
from django.views import View

from journal.enums import VersionKind
from journal.views.portal_common import load_submission


class VersionFileView(View):
    """`/submissions/<pk>/versions/<number>/<part>/`: a version's PDF or supplement."""

    def get(self, request, pk: int, number: int, part: str):
        submission = load_submission(request, pk)
        version = next((v for v in submission.versions.all() if v.number == number), None)
        if version is None:
            raise Http404("No such version.")
        if version.kind == VersionKind.CAMERA_READY and not request.user.has_perm(
            "journal.view_submission_authors", submission
        ):
            raise Http404("No such version.")
        field = version.pdf if part == "pdf" else version.supplement
        if part not in {"pdf", "supplement"} or not field:
            raise Http404("No such file.")
        ext = field.name.rsplit(".", 1)[-1] if "." in field.name else "bin"
        name = f"{submission.venue.slug}-{submission.number}-v{version.number}"
        if part == "supplement":
            name += "-supplement"
        try:
            handle = field.open("rb")
        except FileNotFoundError:
            raise Http404("The file is missing from storage.") from None
        response = FileResponse(
            handle,
            as_attachment=part != "pdf",
            filename=f"{name}.{ext}",
            content_type="application/pdf" if part == "pdf" else None,
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response

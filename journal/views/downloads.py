"""File downloads, each behind the same permission check as the page that links to it."""

from django.http import FileResponse, Http404
from django.views import View

from journal.errors import FileCheckError
from journal.selectors.versions import version_file_open
from journal.views.portal_common import load_submission


class VersionFileView(View):
    """`/submissions/<pk>/versions/<number>/<part>/`: a version's PDF or supplement.

    Only submitted versions are served to people other than the authors, and the anonymised
    PDF without its metadata (`journal.view_version`, `journal.download_original_version`).
    """

    def get(self, request, pk: int, number: int, part: str):
        submission = load_submission(request, pk)
        version = next((v for v in submission.versions.all() if v.number == number), None)
        if version is None or not request.user.has_perm("journal.view_version", version):
            raise Http404("No such version.")
        field = version.pdf if part == "pdf" else version.supplement
        if part not in {"pdf", "supplement"} or not field:
            raise Http404("No such file.")
        ext = field.name.rsplit(".", 1)[-1] if "." in field.name else "bin"
        name = f"{submission.venue.slug}-{submission.number}-v{version.number}"
        if part == "supplement":
            name += "-supplement"
        original = request.user.has_perm("journal.download_original_version", version)
        try:
            handle = version_file_open(version=version, part=part, original=original)
        except FileNotFoundError:
            raise Http404("The file is missing from storage.") from None
        except FileCheckError as exc:
            raise Http404(exc.message) from None
        response = FileResponse(
            handle,
            as_attachment=part != "pdf",
            filename=f"{name}.{ext}",
            content_type="application/pdf" if part == "pdf" else None,
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response

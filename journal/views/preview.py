"""The live preview of Markdown with math: the page's text as the site will show it."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponse
from django.utils.html import escape
from django.views import View

from journal.api.throttling import render_allowed
from journal.limits import text_too_long
from journal.rendering import render_markdown

EMPTY = '<p class="muted">Nothing yet.</p>'


def _refusal(message: str, *, status: int, **headers: str) -> HttpResponse:
    body = f'<p class="message error preview-refused" role="alert">{escape(message)}</p>'
    response = HttpResponse(body, status=status, content_type="text/html; charset=utf-8")
    for name, value in headers.items():
        response[name] = value
    return response


class MarkdownPreviewView(LoginRequiredMixin, View):
    """Render Markdown with math the way the site will show it (sanitised HTML).

    POST only, behind the CSRF check like every form; at most `TEXT_MAX_CHARS` characters
    and a few previews a second per person (`PEERLESS_API_THROTTLE_RATES["render"]`).
    """

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        allowed, wait = render_allowed(request)
        if not allowed:
            return _refusal(
                f"Too many previews at once; the preview resumes in {wait} seconds.",
                status=429,
                **{"Retry-After": str(wait)},
            )
        text = request.POST.get("text", "")
        message = text_too_long(text, label="This text")
        if message:
            return _refusal(f"No preview: {message}", status=400)
        html = render_markdown(text) if text.strip() else EMPTY
        return HttpResponse(html, content_type="text/html; charset=utf-8")

"""`POST /api/v1/render/`: Markdown with math as the site shows it (the pages' live preview)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from journal.api.throttling import RenderThrottle, UserThrottle
from journal.limits import TEXT_MAX_CHARS, text_too_long
from journal.rendering import render_markdown, render_plain_text


class RenderRequestSerializer(serializers.Serializer):
    text = serializers.CharField(
        allow_blank=True,
        trim_whitespace=False,
        help_text=f"Markdown with $math$, at most {TEXT_MAX_CHARS:,} characters.",
    )

    def validate_text(self, value: str) -> str:
        message = text_too_long(value, label="This text")
        if message:
            raise serializers.ValidationError(message)
        return value


class RenderResponseSerializer(serializers.Serializer):
    html = serializers.CharField(
        help_text="Sanitised HTML; formulas are `<span class=\"math\">` for KaTeX to typeset."
    )
    plain_text = serializers.CharField(
        help_text="The text without markup, math or LaTeX macro names (what matching reads)."
    )


class RenderView(APIView):
    """Render Markdown with math exactly as the pages show it (sanitised HTML)."""

    throttle_classes = [UserThrottle, RenderThrottle]

    @extend_schema(request=RenderRequestSerializer, responses={200: RenderResponseSerializer})
    def post(self, request):
        """Return the sanitised HTML (and the plain text) of a Markdown text."""
        serializer = RenderRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        text = serializer.validated_data["text"]
        return Response({"html": render_markdown(text), "plain_text": render_plain_text(text)})

"""Server-rendered SVG charts: horizontal bars and vertical columns, no JavaScript.

Each chart is a self-contained `<svg>` with a title and a description for screen readers;
pages show the same numbers in a table next to it. Labels are escaped here.
"""

from collections.abc import Callable, Sequence
from html import escape

Number = int | float
Fmt = Callable[[Number], str]

PALETTE = ("#2f5bd3", "#1f7a4d", "#a15c00", "#b42318", "#6941c6", "#0e7490")


def _fmt(value: Number) -> str:
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.2f}"
    return f"{int(value)}"


def _svg(width: int, height: int, title: str, desc: str, body: list[str]) -> str:
    ident = "chart-" + "".join(c for c in title.lower() if c.isalnum())[:40]
    return (
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" '
        f'preserveAspectRatio="xMinYMin meet" aria-labelledby="{ident}-t {ident}-d" '
        f'xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{ident}-t">{escape(title)}</title><desc id="{ident}-d">{escape(desc)}</desc>'
        + "".join(body)
        + "</svg>"
    )


def bar_chart(
    *,
    bars: Sequence[tuple[str, Number]],
    title: str,
    fmt: Fmt = _fmt,
    max_value: Number | None = None,
    width: int = 640,
    bar_height: int = 22,
    label_width: int = 220,
    signed: bool = False,
) -> str:
    """Return horizontal bars, one per (label, value); `signed` draws around a zero line."""
    gap = 6
    height = max(1, len(bars)) * (bar_height + gap) + gap
    plot = width - label_width - 60
    values = [abs(v) for _, v in bars] or [0]
    top = max_value if max_value is not None else (max(values) or 1)
    zero = label_width + (plot / 2 if signed else 0)
    scale = (plot / 2 if signed else plot) / (top or 1)
    body = []
    if signed:
        body.append(
            f'<line x1="{zero:.1f}" y1="0" x2="{zero:.1f}" y2="{height}" '
            'stroke="#98a2b3" stroke-width="1"/>'
        )
    for i, (label, value) in enumerate(bars):
        y = gap + i * (bar_height + gap)
        length = abs(value) * scale
        x = zero - length if signed and value < 0 else zero
        color = PALETTE[3] if signed and value < 0 else PALETTE[0]
        text_y = y + bar_height * 0.7
        negative = signed and value < 0
        value_x, anchor = (x - 4, "end") if negative else (x + length + 4, "start")
        tip = f"<title>{escape(str(label))}: {escape(fmt(value))}</title>"
        body.append(
            f'<text x="{label_width - 8}" y="{text_y:.1f}" text-anchor="end" '
            f'font-size="13">{escape(str(label)[:34])}</text>'
            f'<rect x="{x:.1f}" y="{y}" width="{max(length, 0.5):.1f}" height="{bar_height}" '
            f'fill="{color}" rx="3">{tip}</rect>'
            f'<text x="{value_x:.1f}" y="{text_y:.1f}" text-anchor="{anchor}" font-size="12" '
            f'fill="#1d2430">{escape(fmt(value))}</text>'
        )
    desc = "; ".join(f"{label}: {fmt(value)}" for label, value in bars[:30])
    return _svg(width, height, title, desc or "No data", body)


def column_chart(
    *,
    columns: Sequence[tuple[str, Number]],
    title: str,
    fmt: Fmt = _fmt,
    width: int = 640,
    height: int = 220,
    every_label: int | None = None,
) -> str:
    """Return vertical columns, one per (label, value), e.g. a time series or histogram."""
    bottom, top_pad, left = 34, 18, 36
    plot_w, plot_h = width - left - 8, height - bottom - top_pad
    count = max(1, len(columns))
    top = max([v for _, v in columns] or [0]) or 1
    slot = plot_w / count
    step = every_label or max(1, count // 12)
    body = [
        f'<line x1="{left}" y1="{top_pad + plot_h}" x2="{width - 8}" y2="{top_pad + plot_h}" '
        'stroke="#98a2b3"/>',
        f'<text x="{left - 4}" y="{top_pad + 4}" text-anchor="end" font-size="11">'
        f"{escape(fmt(top))}</text>",
        f'<text x="{left - 4}" y="{top_pad + plot_h}" text-anchor="end" font-size="11">0</text>',
    ]
    for i, (label, value) in enumerate(columns):
        h = plot_h * value / top
        x = left + i * slot + slot * 0.1
        y = top_pad + plot_h - h
        body.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{slot * 0.8:.1f}" height="{max(h, 0):.1f}" '
            f'fill="{PALETTE[0]}"><title>{escape(str(label))}: {escape(fmt(value))}</title></rect>'
        )
        if i % step == 0:
            body.append(
                f'<text x="{x + slot * 0.4:.1f}" y="{height - 12}" text-anchor="middle" '
                f'font-size="11">{escape(str(label))}</text>'
            )
    desc = "; ".join(f"{label}: {fmt(value)}" for label, value in columns[:40])
    return _svg(width, height, title, desc or "No data", body)

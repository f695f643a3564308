"""The SVG charts of "ideas or numbers" (`journal.analytics.influence`), drawn on the server
with the analytics page's own bar and column charts. No Django here."""

from collections.abc import Callable

from journal.analytics.charts import bar_chart
from journal.analytics.influence import Fit, RateBin, VenueInfluence


def _percent(value: float) -> str:
    return f"{value * 100:.0f}%"


def _coefficients(fit: Fit, label: Callable[[str], str], title: str) -> str | None:
    if not fit.influence:
        return None
    return bar_chart(
        bars=[(label(i.key), i.coefficient) for i in fit.ranked()],
        title=title,
        signed=True,
        max_value=max(1.0, *(abs(i.coefficient) for i in fit.influence)),
    )


def _rates(bins: list[RateBin], title: str) -> str | None:
    shown = [(f"{b.label} ({b.decided})", b.rate) for b in bins if b.decided]
    if not shown:
        return None
    return bar_chart(bars=shown, title=title, fmt=_percent, max_value=1, label_width=280)


def influence_charts(result: VenueInfluence, label: Callable[[str], str]) -> dict[str, str]:
    """Return the charts by name; a chart without data is left out."""
    charts = {
        "outcome": _coefficients(
            result.on_outcome, label, "Influence of each criterion on the decision"
        ),
        "meta_review": _coefficients(
            result.on_meta_review, label, "Influence of each criterion on the meta-review"
        ),
        "recommendation": _coefficients(
            result.on_recommendation, label, "Influence of each criterion on the recommendation"
        ),
        "gain": _rates(result.gain_bins, "Acceptance rate by claimed gain (papers)"),
        "ratio": _rates(result.ratio_bins, "Acceptance rate by gain over spread (papers)"),
        "noise": _rates(result.noise, "Acceptance rate: gain within noise or beyond (papers)"),
        "ideas": _rates(
            [
                result.ideas_vs_numbers.high_ideas_modest_gain,
                result.ideas_vs_numbers.modest_ideas_high_gain,
            ],
            "Acceptance rate: strong ideas with modest gains, and the reverse",
        ),
    }
    return {name: svg for name, svg in charts.items() if svg}

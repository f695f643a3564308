"""The reviewer's bidding page: every paper they may bid on, best match first, one click a bid.

A bid is saved by one small POST per change (htmx answers with a status line and the
counter); without JavaScript the same form posts and the page comes back.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from journal.errors import DomainError
from journal.models import Venue
from journal.selectors.dashboard import venue_keywords
from reviews.models import BidValue
from reviews.rules import bid_hidden_ids, bidding_is_open
from reviews.selectors.bidding import BID_SORTS, bidding_ids, bidding_papers
from reviews.services.bidding import bid_counts, bid_set

PER_PAGE = 25
#: The levels offered on the page, in the order of the number keys 1 to 6.
LEVELS = [
    BidValue.VERY_HIGH,
    BidValue.HIGH,
    BidValue.NEUTRAL,
    BidValue.LOW,
    BidValue.VERY_LOW,
    BidValue.CONFLICT,
]


def _refusal(request, venue: Venue, message: str, status: int = 403):
    return render(
        request,
        "reviews/bidding/refused.html",
        {"venue": venue, "message": message},
        status=status,
    )


def _venue_for_reviewer(request, slug: str):
    venue = get_object_or_404(Venue, slug=slug)
    if not request.user.has_perm("reviews.view_bids", venue):
        return venue, _refusal(
            request,
            venue,
            f"Only reviewers of {venue.name} bid on its papers. If you were asked to review "
            "there, accept the invitation to the reviewer role first.",
        )
    return venue, None


def _counter(venue: Venue, user) -> dict:
    made, minimum = bid_counts(venue=venue, reviewer=user)
    return {
        "made": made,
        "minimum": minimum,
        "reached": made >= minimum,
        "remaining": max(0, minimum - made),
    }


@login_required
def bidding_page(request, slug: str):
    """List the papers I may bid on at the venue, with my bids."""
    venue, refusal = _venue_for_reviewer(request, slug)
    if refusal:
        return refusal
    query = request.GET.get("q", "")[:200]
    keyword = request.GET.get("keyword", "")[:100]
    area = request.GET.get("area", "")[:100]
    sort = request.GET.get("sort", "affinity")
    sort = sort if sort in BID_SORTS else "affinity"
    ids = bidding_ids(
        venue=venue, reviewer=request.user, query=query, keyword=keyword, area=area, sort=sort
    )
    page = Paginator(ids, PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = bidding_papers(
        venue=venue, reviewer=request.user, ids=list(page.object_list)
    )
    return render(
        request,
        "reviews/bidding/page.html",
        {
            "venue": venue,
            "page": page,
            "is_open": bidding_is_open(venue),
            "levels": LEVELS,
            "counter": _counter(venue, request.user),
            "query": query,
            "keyword": keyword,
            "area": area,
            "areas": venue.subject_areas or [],
            "sort": sort,
            "sorts": BID_SORTS,
            "keywords": venue_keywords(venue=venue, limit=100),
            "show_authors": not venue.is_double_blind,
            "here": request.get_full_path(),
        },
    )


def _back(request, venue: Venue) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("reviews:bids", args=[venue.slug])


@login_required
@require_POST
def bid_save(request, slug: str, number: int):
    """Save my bid on one paper (htmx: answer with its status line and the counter)."""
    venue, refusal = _venue_for_reviewer(request, slug)
    is_htmx = request.headers.get("HX-Request") == "true"
    if refusal:
        return refusal
    submission = venue.submissions.filter(number=number).first()
    if submission is None or submission.pk in bid_hidden_ids(request.user, venue):
        raise Http404("No such paper.")
    value = request.POST.get("value", "")
    try:
        bid_set(submission=submission, reviewer=request.user, value=value)
    except DomainError as exc:
        if is_htmx:
            return render(
                request,
                "reviews/bidding/_status.html",
                {"error": exc.message},
                status=exc.status_code,
            )
        if not bidding_is_open(venue):
            return _refusal(request, venue, exc.message, status=exc.status_code)
        messages.error(request, exc.message)
        return redirect(_back(request, venue))
    label = BidValue(value).label
    if is_htmx:
        return render(
            request,
            "reviews/bidding/_status.html",
            {
                "venue": venue,
                "saved": True,
                "label": label,
                "oob_counter": True,
                "counter": _counter(venue, request.user),
            },
        )
    messages.success(request, f"Your bid on #{submission.number} is saved: {label.lower()}.")
    return redirect(_back(request, venue))

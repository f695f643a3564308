from reviews.models.expertise import Publication
from reviews.models.forms import ReviewForm

__all__ = ["Publication", "ReviewForm"]

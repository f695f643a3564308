"""Reviewer assignment engine: text affinity, exact assignment, explanations.

Pure array computation (NumPy, SciPy, scikit-learn); no database access.
"""

from .affinity import AGGREGATIONS, AffinityModel, text_affinity, text_affinity_topk
from .errors import InfeasibleError, MatchingError
from .explain import PairExplanation, explain_pair
from .result import Assignment
from .solver import assign

__all__ = [
    "AGGREGATIONS",
    "AffinityModel",
    "Assignment",
    "InfeasibleError",
    "MatchingError",
    "PairExplanation",
    "assign",
    "explain_pair",
    "text_affinity",
    "text_affinity_topk",
]

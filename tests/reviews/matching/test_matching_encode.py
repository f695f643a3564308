"""The matching problem's encoding, on plain arrays (no database)."""

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from reviews.matching import assign, encode


@dataclass(frozen=True)
class Slot:
    load: int = 0
    quota: int | None = None
    available: bool = True


def test_index_of_and_positions_map_ids_to_indices_and_unknown_ids_to_minus_one():
    at = encode.index_of([40, 7, 19])
    assert at == {40: 0, 7: 1, 19: 2}
    found = encode.positions(at, np.array([19.0, 3.0, 40.0, 7.0]))
    assert found.tolist() == [2, -1, 0, 1]
    assert encode.positions({}, np.array([1, 2])).tolist() == [-1, -1]


def test_kept_pairs_fix_holders_among_the_candidates_and_free_rows_held_outside():
    # Row 0 held by candidate 11, row 1 free, row 2 held by someone outside the run.
    fixed, load, need = encode.kept_pairs([11, None, 99], {10: 0, 11: 1}, 2)
    assert fixed.tolist() == [[0, 1]]
    assert load.tolist() == [0, 1]
    assert need.tolist() == [1, 1, 0]


def test_fixed_pairs_count_toward_need_and_load_and_ignore_unknown_rows():
    paper_at = {100: 0, 101: 1}
    reviewer_at = {5: 0, 6: 1, 7: 2}
    existing = [(100, 5), (100, 6), (100, 999), (101, 7), (555, 5)]
    fixed, need, load = encode.fixed_pairs(existing, paper_at, reviewer_at, n_rows=2, want=3)
    assert sorted(map(tuple, fixed.tolist())) == [(0, 0), (0, 1), (1, 2)]
    # Paper 100 has one reviewer outside the run: it needs 2, both already fixed.
    assert need.tolist() == [2, 3]
    assert load.tolist() == [1, 1, 1]


def test_fixed_pairs_never_need_fewer_than_fixed():
    fixed, need, _ = encode.fixed_pairs(
        [(1, 1), (1, 2), (1, 3)], {1: 0}, {1: 0, 2: 1, 3: 2}, n_rows=1, want=2
    )
    assert len(fixed) == 3 and need.tolist() == [3]


def test_max_loads_cap_quota_away_and_fixed():
    slots = [Slot(), Slot(load=3, quota=4), Slot(available=False), Slot(load=2, quota=2)]
    fixed_load = np.array([0, 1, 0, 2])
    loads = encode.max_loads(slots, fixed_load, demand=10, cap=5)
    # quota 4, three held of which one is in the run: room 2; away: 0; full: its fixed 2.
    assert loads.tolist() == [5, 2, 0, 2]
    # Without a cap: an even share of the demand plus one.
    assert encode.max_loads([Slot(), Slot()], np.zeros(2), demand=5, cap=None).tolist() == [4, 4]
    assert encode.min_loads(np.array([0, 3]), 2).tolist() == [0, 2]
    assert encode.min_loads(np.array([1]), None).tolist() == [0]


def test_candidate_affinity_adds_bonuses_but_a_negative_one_creates_no_candidate():
    affinity = encode.candidate_affinity(
        shape=(2, 3),
        rows=np.array([0, 1]),
        columns=np.array([0, 1]),
        values=np.array([0.5, 0.25]),
        bonus_rows=[0, 1, 1],
        bonus_columns=[0, 2, 1],
        bonuses=[0.5, -1.0, -0.125],
        fixed=np.array([[0, 2]]),
    )
    dense = affinity.toarray()
    assert dense[0, 0] == 1.0  # stored plus a positive bonus
    assert dense[1, 1] == 0.125  # stored, lowered
    assert (1, 2) not in set(zip(*affinity.nonzero(), strict=True))  # negative only
    # The fixed pair is a candidate worth 0 (kept as an explicit entry).
    coo = affinity.tocoo()
    assert (0, 2) in set(zip(coo.row.tolist(), coo.col.tolist(), strict=True))


def test_forbidden_pairs_are_conflicting_or_ended_candidates_never_fixed_ones():
    affinity = sp.csr_matrix(np.array([[1.0, 1.0, 0.0], [1.0, 1.0, 1.0]]))
    conflicts = sp.csr_matrix(np.array([[True, False, True], [False, True, False]]))
    forbidden = encode.forbidden_pairs(
        conflicts=conflicts,
        affinity=affinity,
        ended=[(1, 2)],
        fixed=np.array([[1, 1]]),
    )
    # (0, 2) conflicts but is no candidate; (1, 1) conflicts but is fixed.
    assert forbidden.toarray().tolist() == [[True, False, False], [False, False, True]]
    assert forbidden.dtype == bool


def test_kept_conflicts_add_extra_pairs_and_clear_fixed_ones():
    base = sp.csr_matrix(np.array([[True, False], [False, False]]))
    out = encode.kept_conflicts(base, extra=[(1, 0)], fixed=np.array([[0, 0]]))
    assert out.toarray().tolist() == [[False, False], [True, False]]


def test_dense_text_affinity_is_zero_without_texts_and_ranks_the_closer_candidate_first():
    assert encode.dense_text_affinity(["", ""], [[], []]).tolist() == [[0.0, 0.0], [0.0, 0.0]]
    scores = encode.dense_text_affinity(
        ["sparse attention transformers"],
        [["graph neural networks for molecules"], ["sparse attention in transformers"]],
    )
    assert scores.shape == (1, 2) and scores[0, 1] > scores[0, 0]


def test_an_encoded_problem_solves_with_the_fixed_pair_kept_and_no_forbidden_pair():
    paper_at = encode.index_of([1, 2])
    reviewer_at = encode.index_of([10, 11, 12])
    fixed, need, load = encode.fixed_pairs(
        [(1, 12)], paper_at, reviewer_at, n_rows=2, want=2
    )
    affinity = encode.candidate_affinity(
        shape=(2, 3),
        rows=np.array([0, 0, 1, 1, 1]),
        columns=np.array([0, 1, 0, 1, 2]),
        values=np.array([0.9, 0.1, 0.8, 0.7, 0.2]),
        fixed=fixed,
    )
    forbidden = encode.forbidden_pairs(
        conflicts=sp.csr_matrix(([True], ([1], [0])), shape=(2, 3)),
        affinity=affinity,
        fixed=fixed,
    )
    slots = [Slot(), Slot(), Slot(load=1)]
    max_load = encode.max_loads(slots, load, demand=int(need.sum()), cap=2)
    result = assign(
        affinity,
        per_paper=need,
        max_load=max_load,
        min_load=encode.min_loads(max_load, 0),
        conflicts=forbidden,
        fixed=fixed,
    )
    pairs = sorted(map(tuple, result.pairs.tolist()))
    assert (0, 2) in pairs  # the existing invitation stays
    assert (1, 0) not in pairs  # the conflict is never proposed
    assert sorted(pairs) == [(0, 0), (0, 2), (1, 1), (1, 2)]

"""The greedy maximal-covering choice with lazy evaluation, on instances solved by hand."""

from maps.sites import greedy_max_cover


def test_it_takes_the_largest_gain_first_and_re_scores_what_is_left():
    covers = {"a": [0, 1, 2], "b": [0, 1], "c": [5], "d": [2, 3, 4, 5]}
    weight = [1] * 6
    # d (4) first; then a's gain drops from 3 to 2 (cell 2 is taken): a tie with b, broken by key;
    # c's drops to 0.
    assert greedy_max_cover(covers, weight, 3) == [("d", 4), ("a", 2)]


def test_it_uses_the_weights():
    covers = {"many": [0, 1, 2], "heavy": [3]}
    assert greedy_max_cover(covers, [1, 1, 1, 10], 1) == [("heavy", 10)]


def test_it_stops_when_nothing_new_can_be_covered():
    covers = {"a": [0, 1], "b": [1], "c": [0]}
    assert greedy_max_cover(covers, [2, 3], 3) == [("a", 5)]


def test_it_matches_the_exhaustive_optimum_on_a_small_instance():
    from itertools import combinations

    covers = {k: cells for k, cells in enumerate(
        [[0, 1, 2], [2, 3], [3, 4, 5], [5, 6], [6, 7, 8], [0, 8], [1, 4, 7]]
    )}
    weight = [3, 1, 4, 1, 5, 9, 2, 6, 5]
    best = max(
        sum(weight[d] for d in {d for k in combo for d in covers[k]})
        for combo in combinations(covers, 3)
    )
    picked = greedy_max_cover(covers, weight, 3)
    assert sum(gain for _, gain in picked) == best

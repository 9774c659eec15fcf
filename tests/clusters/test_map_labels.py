"""The discovery map's candidate numbers: two candidates sharing a centre (or lying close)
never have their numbers drawn over each other."""

from hypothesis import given
from hypothesis import strategies as st

from shahrak.clusters.maps import LABEL_GAP, label_place

coordinate = st.floats(min_value=0, max_value=720, allow_nan=False)


@given(st.lists(st.tuples(coordinate, coordinate), max_size=30))
def test_each_number_is_placed_apart_from_those_before(wanted):
    placed = []
    for spot in wanted:
        label = label_place(spot, placed)
        assert label[1] == spot[1] and abs(label[0] - spot[0]) <= LABEL_GAP * len(placed)
        for px, py in placed:
            assert abs(label[0] - px) >= LABEL_GAP or abs(label[1] - py) >= LABEL_GAP
        placed.append(label)


def test_candidates_sharing_a_centre_get_numbers_side_by_side():
    placed = []
    for _ in range(3):
        placed.append(label_place((100.0, 50.0), placed))
    assert placed == [(100.0, 50.0), (114.0, 50.0), (86.0, 50.0)]


def test_a_lone_candidate_keeps_its_number_above_its_centre():
    assert label_place((100.0, 50.0), [(300.0, 50.0)]) == (100.0, 50.0)

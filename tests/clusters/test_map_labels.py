"""The discovery map's candidate numbers: two candidates sharing a centre (or lying close)
never have their numbers drawn over each other, nor over a county's name."""

from hypothesis import given
from hypothesis import strategies as st

from shahrak.clusters.maps import LABEL_GAP, LINE, label_place

coordinate = st.floats(min_value=0, max_value=720, allow_nan=False)
width = st.floats(min_value=1, max_value=40, allow_nan=False)


@given(
    st.lists(st.tuples(coordinate, coordinate, width), max_size=10),
    st.lists(st.tuples(coordinate, coordinate), max_size=30),
)
def test_each_number_is_placed_clear_of_what_is_drawn(names, wanted):
    taken = list(names)
    for spot in wanted:
        label = label_place(spot, taken)
        assert label[1] == spot[1]
        for tx, ty, w in taken:
            assert abs(label[0] - tx) >= w + LABEL_GAP / 2 or abs(label[1] - ty) >= LINE
        taken.append((*label, LABEL_GAP / 2))


def test_candidates_sharing_a_centre_get_numbers_side_by_side():
    taken = []
    for _ in range(3):
        taken.append((*label_place((100.0, 50.0), taken), LABEL_GAP / 2))
    assert [t[:2] for t in taken] == [(100.0, 50.0), (120.0, 50.0), (80.0, 50.0)]


def test_a_lone_candidate_keeps_its_number_above_its_centre():
    assert label_place((100.0, 50.0), [(300.0, 50.0, 10), (100.0, 80.0, 30)]) == (100.0, 50.0)


def test_a_number_moves_off_a_county_name():
    # A name 40 px wide centred on the spot: the number goes to the first spot (20 px apart)
    # clear of it, 30 px or more away.
    assert label_place((100.0, 50.0), [(100.0, 48.0, 20)]) == (140.0, 50.0)

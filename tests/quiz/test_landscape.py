import pytest
from django.urls import reverse

from quiz import landscape
from tests.factories import StanceFactory, StatementFactory
from tests.pages import ranking

# Statements 1 and 2 on the horizontal axis (2 reversed), 3 on the vertical axis.
AXES = {1: ("x", 1), 2: ("x", -1), 3: ("y", 1)}


def test_a_position_is_the_mean_of_value_times_direction():
    assert landscape.axis_position({1: 1, 2: -1}, AXES, "x") == 1
    assert landscape.axis_position({1: 1, 2: 1}, AXES, "x") == 0


def test_skipped_statements_are_left_out_of_the_mean():
    assert landscape.axis_position({1: 1, 2: None}, AXES, "x") == 1


def test_statements_off_the_axis_do_not_count():
    assert landscape.axis_position({3: -1}, AXES, "x") is None
    assert landscape.axis_position({1: 1, 3: -1}, AXES, "y") == -1


def test_no_place_without_an_answer_on_both_axes():
    assert landscape.place({1: 1}, AXES) is None
    assert landscape.place({1: 1, 3: 0}, AXES) == (1, 0)


def test_the_corners_of_the_scale_are_the_corners_of_the_plot():
    top_left = landscape.Dot("A", -1, 1)
    bottom_right = landscape.Dot("B", 1, -1)
    assert (top_left.cx, top_left.cy) == (landscape.MARGIN, landscape.MARGIN)
    edge = landscape.SIZE - landscape.MARGIN
    assert (bottom_right.cx, bottom_right.cy) == (edge, edge)


def test_labels_near_the_right_edge_go_left_of_the_dot():
    right, left = landscape.Dot("A", 0.9, 0), landscape.Dot("A", -0.9, 0)
    assert landscape.party_label(right, None).x < right.cx
    assert landscape.party_label(left, None).x > left.cx


def _boxes(dot, label):
    return [landscape._square(dot.cx, dot.cy, landscape.DOT_RADIUS), label.box]


def test_the_voters_label_is_above_the_marker_when_nothing_is_there():
    voter = landscape.Dot("Jij", 0, 0, voter=True)
    far = landscape.Dot("A", -0.8, -0.8)
    label = landscape.voter_label(voter, [(far, landscape.party_label(far, voter))])
    assert (label.x, label.anchor) == (voter.cx, "middle")
    assert label.y < voter.cy


def test_the_voters_label_moves_off_a_party_just_above_the_marker():
    voter = landscape.Dot("Jij", 0, 0, voter=True)
    above = landscape.Dot("Fietspartij", 0, 0.1)
    parties = [(above, landscape.party_label(above, voter))]
    label = landscape.voter_label(voter, parties)
    assert all(landscape.overlap(label.box, box) == 0 for box in _boxes(*parties[0]))


def test_a_party_label_that_would_cover_the_voters_marker_goes_to_the_other_side():
    voter = landscape.Dot("Jij", 0, 0, voter=True)
    party = landscape.Dot("PZW", -0.1, 0)
    label = landscape.party_label(party, voter)
    assert label.anchor == "end"
    marker = landscape._square(voter.cx, voter.cy, landscape.MARKER_RADIUS)
    assert landscape.overlap(label.box, marker) == 0


def test_build_places_voter_and_parties_and_names_the_unplaced():
    result = landscape.build(
        "links – rechts",
        "conservatief – progressief",
        AXES,
        {1: 1, 2: -1, 3: 1},
        [("A", "#111111", {1: -1, 2: 1, 3: -1}), ("B", "#222222", {1: 1})],
    )
    assert (result.voter.x, result.voter.y) == (1, 1)
    assert [(d.label, d.x, d.y) for d in result.parties] == [("A", -1, -1)]
    assert result.unplaced == ("B",)


def test_no_landscape_without_two_axis_labels():
    assert landscape.build("links – rechts", "", AXES, {}, []) is None


def test_no_landscape_without_statements_on_both_axes():
    only_x = {1: ("x", 1)}
    assert landscape.build("links – rechts", "boven – onder", only_x, {}, []) is None


def test_parties_on_the_same_spot_share_one_label():
    result = landscape.build(
        "x",
        "y",
        AXES,
        {},
        [("A", "#111111", {1: 1, 3: 1}), ("B", "#222222", {1: 1, 3: 1})],
    )
    assert [d.label for d in result.groups] == ["A, B"]
    assert result.voter is None


def test_axis_label_names_the_negative_end_first():
    assert landscape.axis_ends("links – rechts") == ("links", "rechts")
    assert landscape.axis_ends("economie") == ("", "economie")


@pytest.mark.django_db
def test_result_page_draws_the_landscape_with_a_text_alternative(client, landscape):
    for n in (1, 2, 3):
        client.post(reverse("quiz:statement", args=["test", n]), {"answer": "agree"})
    page = client.get(reverse("quiz:result", args=["test"])).content.decode()
    assert '<svg viewBox="0 0 360 360" role="img"' in page
    assert "Het landschap als tabel" in page
    assert "Niet getekend, want zonder standpunten op deze assen: C." in page


@pytest.mark.django_db
def test_result_page_has_no_landscape_without_axes(client, election):
    page = client.get(reverse("quiz:result", args=["test"])).content.decode()
    assert [name for name, _ in ranking(page)] == ["Alfa", "Bravo", "Charlie"]
    assert '<svg viewBox="0 0 360 360"' not in page


@pytest.mark.django_db
def test_a_statement_with_a_reversed_axis_moves_the_party_the_other_way(client, election):
    election.axis_x_label, election.axis_y_label = "links – rechts", "onder – boven"
    election.save()
    StatementFactory(election=election, order=4, axis="y")
    first = election.statements.get(order=1)
    first.axis, first.axis_direction = "x", -1
    first.save()
    StanceFactory(
        statement=election.statements.get(order=4), party=election.parties.get(slug="alfa")
    )
    page = client.get(reverse("quiz:result", args=["test"])).content.decode()
    # Alfa agrees with statement 1, which points left: x = -1; and with 4, pointing up: y = +1.
    assert '<th scope="row">A</th><td>-1,00</td><td>1,00</td>' in page


def test_a_party_label_avoids_the_voters_marker_and_the_axis_ends():
    drawing = landscape.Landscape("links – rechts", "conservatief – progressief", None, (), ())
    voter = landscape.Dot("Jij", -0.4, 0, voter=True)
    party = landscape.Dot("Buurtbelang", -0.55, 0)
    label = landscape.party_label(party, voter, drawing.axis_labels)
    marker = landscape._square(voter.cx, voter.cy, landscape.MARKER_RADIUS)
    assert landscape.overlap(label.box, marker) == 0
    assert all(landscape.overlap(label.box, end.box) == 0 for end in drawing.axis_labels)

from stats import charts


def test_bars_are_drawn_to_scale_and_a_suppressed_value_has_none():
    chart = charts.bars([("Alfa", 50.0, "#111111"), ("Bravo", None, "#222222")], threshold=10)
    alfa, bravo = chart.bars
    assert alfa.width == (charts.WIDTH - charts.LABEL_WIDTH - 60) / 2
    assert (bravo.width, bravo.text) == (0.0, "<10")
    assert [label.text for label in chart.labels] == ["Alfa", "50%", "Bravo", "<10"]


def test_stacked_bars_split_a_row_into_shares():
    chart = charts.stacked(
        [("1. Stelling", {"agree": 30, "neutral": None, "disagree": 10, "skip": 0})],
        charts.ANSWER_COLOURS,
    )
    agree, disagree = chart.bars
    assert agree.width == 3 * disagree.width
    assert disagree.x == agree.x + agree.width


def test_a_long_label_is_shortened_in_the_chart_only():
    chart = charts.bars([("Partij voor een heel lange naam in de grafiek", 10.0, "#111")], 10)
    assert chart.labels[0].text == "Partij voor een heel lange…"
    assert chart.bars[0].label == "Partij voor een heel lange naam in de grafiek"


def test_columns_label_the_first_and_the_last_day():
    chart = charts.columns([("2026-03-16", 20), ("2026-03-17", None), ("2026-03-18", 40)], 10)
    assert [b.height for b in chart.bars] == [80.0, 0.0, 160.0]
    assert [label.text for label in chart.labels] == ["2026-03-16", "2026-03-18"]

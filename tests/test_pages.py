"""The helper that reads a page as a person sees it (tests/pages.py)."""

import pytest

from tests.pages import parse, ranking, table_rows, text, texts

PAGE = """<!doctype html>
<html><head><style>.score { color: red }</style></head>
<body>
  <ol class="ranking">
    <li class="rank"><span class="party-name">Alfa</span> <span class="score">100%</span>
      <div class="bar"><span style="width: 100%"></span></div><script>let s = "0%";</script></li>
    <li class="rank"><span class="party-name">Bravo</span> <span class="score">0%</span><br>
      <img src="x.png" alt=""></li>
  </ol>
  <ul id="loose"><li>een<li>twee</ul>
  <table><tr><th>Partij<td>Score</tr><tr><th>Alfa</th><td>100%</td></tr></table>
</body></html>"""


def test_the_ranking_is_names_and_scores_in_order():
    assert ranking(PAGE) == [("Alfa", "100%"), ("Bravo", "0%")]


def test_text_leaves_out_scripts_and_styles_and_collapses_whitespace():
    assert text(PAGE, "ol.ranking") == "Alfa 100% Bravo 0%"


def test_an_unclosed_list_item_ends_where_the_next_begins():
    assert texts(PAGE, "#loose li") == ["een", "twee"]


def test_table_rows_keep_the_order_of_the_cells():
    assert table_rows(parse(PAGE).select_one("table")) == [["Partij", "Score"], ["Alfa", "100%"]]


@pytest.mark.parametrize("selector", [".missing", ".rank"])
def test_text_wants_exactly_one_element(selector):
    with pytest.raises(AssertionError, match=f"elements match '{selector}'"):
        text(PAGE, selector)

"""The pure editorial rules: no database."""

import pytest

from positions import workflow
from positions.workflow import Actor, NotAllowed, StanceFacts

EDITOR = Actor(1, can_edit=True, can_review=False)
REVIEWER = Actor(2, can_edit=True, can_review=True)


def facts(status="draft", position="agree", explanation="Omdat.", has_source=True, **kw):
    return StanceFacts(status, position, explanation, has_source, **kw)


def test_an_editor_submits_a_complete_draft():
    workflow.check_submit(EDITOR, facts())


def test_a_stance_without_source_cannot_be_submitted():
    with pytest.raises(NotAllowed, match="bron ontbreekt"):
        workflow.check_submit(EDITOR, facts(has_source=False))


def test_no_stance_needs_neither_explanation_nor_source():
    workflow.check_submit(EDITOR, facts(position="none", explanation="", has_source=False))


@pytest.mark.parametrize("position", ["strongly_agree", "strongly_disagree"])
def test_a_strong_position_needs_an_explanation_and_a_source_too(position):
    with pytest.raises(NotAllowed, match="toelichting ontbreekt, bron ontbreekt"):
        workflow.check_submit(EDITOR, facts(position=position, explanation="", has_source=False))


def test_an_editor_cannot_approve():
    with pytest.raises(NotAllowed, match="eindredacteur"):
        workflow.check_approve(EDITOR, facts(status="submitted", submitted_by=3))


def test_a_reviewer_approves_someone_elses_submitted_stance():
    workflow.check_approve(REVIEWER, facts(status="submitted", edited_by=1, submitted_by=1))


def test_nobody_approves_a_stance_they_edited():
    with pytest.raises(NotAllowed, match="eigen standpunt"):
        workflow.check_approve(REVIEWER, facts(status="submitted", edited_by=2, submitted_by=1))


def test_nobody_approves_a_stance_they_submitted():
    with pytest.raises(NotAllowed, match="eigen standpunt"):
        workflow.check_approve(REVIEWER, facts(status="submitted", edited_by=1, submitted_by=2))


def test_only_a_submitted_stance_can_be_approved():
    with pytest.raises(NotAllowed, match="ingediend"):
        workflow.check_approve(REVIEWER, facts(status="draft", edited_by=1))


def test_sending_back_needs_a_comment():
    with pytest.raises(NotAllowed, match="opmerking"):
        workflow.check_send_back(REVIEWER, facts(status="submitted"), "  ")


def test_an_edit_resets_an_approved_stance_to_draft_but_keeps_returned():
    assert workflow.status_after_edit("approved") == "draft"
    assert workflow.status_after_edit("returned") == "returned"


def test_gate_is_open_when_every_cell_is_approved():
    gate = workflow.publish_gate(
        [(1, "S1")],
        [(10, "A"), (11, "B")],
        {
            (1, 10): facts(status="approved"),
            (1, 11): facts(status="approved", position="none", explanation="", has_source=False),
        },
    )
    assert gate.open
    assert gate.rows() == [((1, "S1"), [(10, "approved"), (11, "approved")])]


def test_gate_names_exactly_what_is_missing():
    gate = workflow.publish_gate(
        [(1, "S1"), (2, "S2")],
        [(10, "A"), (11, "B")],
        {
            (1, 10): facts(status="approved"),
            (1, 11): facts(status="submitted"),
            (2, 10): facts(status="approved", explanation=""),
        },
    )
    assert not gate.open
    assert gate.problems == (
        "S1 – B: ingediend",
        "S2 – A: onvolledig: toelichting ontbreekt",
        "S2 – B: ontbreekt",
    )
    assert gate.missing_per_party() == [("A", 1), ("B", 2)]
    assert gate.missing_per_statement() == [("S1", 1), ("S2", 2)]


def test_gate_refuses_an_empty_election():
    gate = workflow.publish_gate([], [], {})
    assert gate.problems == (
        "De verkiezing heeft nog geen stellingen.",
        "De verkiezing heeft nog geen partijen.",
    )

import datetime
import io
import json
import random
from fractions import Fraction

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from positions import catalog
from positions.models import Election, answers_for
from quiz import scoring
from stats import codec, releases, simulate
from stats.models import Completion, CountedRun
from stats.recording import purge_expired_runs
from tests.factories import ElectionFactory, PartyFactory, StanceFactory, StatementFactory

from .conftest import MARCH_19

pytestmark = pytest.mark.django_db


def export_stats(*args):
    call_command("export_stats", *args, stdout=io.StringIO(), stderr=io.StringIO())


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--election=nope"], "--election: no election with slug 'nope'"),
        (
            ["--election=test", "--from=2026-13-01"],
            "--from: expected a date as YYYY-MM-DD, not '2026-13-01'",
        ),
        (
            ["--election=test", "--to=gisteren"],
            "--to: expected a date as YYYY-MM-DD, not 'gisteren'",
        ),
        (
            ["--election=test", "--from=2026-03-18", "--to=2026-03-17"],
            "--from: the first day comes after the last (--to)",
        ),
        (
            ["--election=test", "--format=csv"],
            "--out: a csv export of 4 table(s) is a .zip file",
        ),
        (
            ["--election=test", "--microdata", "--format=parquet"],
            "--out: a parquet export of 1 table(s) is a .parquet file",
        ),
        (
            ["--election=test", "--microdata", "--format=xlsx"],
            "--format: the microdata is exported as csv or json or parquet"
            " (a spreadsheet holds at most 1,048,576 rows)",
        ),
    ],
)
def test_export_refuses_bad_options_with_one_line(election, tmp_path, args, message):
    out = tmp_path / "out.csv"
    defaults = ["--format=csv"] if not any(a.startswith("--format") for a in args) else []
    with pytest.raises(CommandError) as error:
        export_stats(*args, *defaults, f"--out={out}")
    assert str(error.value) == message
    assert not out.exists()


def test_export_to_an_unwritable_path_is_a_clear_error(election, tmp_path):
    out = tmp_path / "missing-folder" / "out.zip"
    with pytest.raises(CommandError) as error:
        export_stats("--election=test", "--format=csv", f"--out={out}")
    assert str(error.value) == f"--out: cannot write {out}: No such file or directory"


def test_export_onto_a_folder_leaves_no_temporary_file(election, tmp_path):
    folder = tmp_path / "folder"
    folder.mkdir()
    folder = folder.rename(tmp_path / "folder.json")
    with pytest.raises(CommandError, match="--out: cannot write"):
        export_stats("--election=test", "--format=json", f"--out={folder}")
    assert list(tmp_path.iterdir()) == [folder]


def test_export_without_format_is_refused(election, tmp_path):
    with pytest.raises(CommandError, match="--format"):
        export_stats("--election=test", f"--out={tmp_path / 'x'}")


def simulate_results(*args):
    stdout = io.StringIO()
    call_command("simulate_results", *args, stdout=stdout, stderr=io.StringIO())
    return stdout.getvalue()


def test_simulate_inserts_the_requested_number_of_marked_completions(election):
    output = simulate_results("--election=test", "--count=250", "--seed=7", "--force")
    assert Completion.objects.filter(simulated=True).count() == 250
    assert output.startswith("Inserted 250 simulated completions into test: ")


def test_simulate_refuses_a_published_election_without_force(election):
    with pytest.raises(CommandError) as error:
        simulate_results("--election=test", "--count=5")
    assert str(error.value) == ("--election: test is published; add --force to add simulated rows")
    assert not Completion.objects.exists()


def test_simulate_fills_a_draft_election(election):
    Election.objects.filter(pk=election.pk).update(status=Election.Status.DRAFT)
    simulate_results("--election=test", "--count=5")
    assert Completion.objects.filter(simulated=True).count() == 5


def test_exports_and_releases_leave_simulated_rows_out_unless_asked(known, election, tmp_path):
    simulate_results("--election=test", "--count=40", "--days=1", "--force")
    out = tmp_path / "m.csv"
    export_stats("--election=test", "--microdata", "--format=csv", f"--out={out}")
    assert out.read_text().count("\n") == 1 + 25
    export_stats(
        "--election=test", "--microdata", "--format=csv", f"--out={out}", "--include-simulated"
    )
    assert out.read_text().count("\n") == 1 + 25 + 40
    real = releases.make_releases(election, known, today=MARCH_19)
    exact = releases.exact_tallies(real[-1])
    assert exact.completions == 25
    with_simulated = releases.make_releases(election, known, today=MARCH_19, simulated=True)
    assert releases.exact_tallies(with_simulated[-1]).completions == 25 + 40
    assert json.loads(with_simulated[-1].body)["simulated"] is True


def test_simulate_is_repeatable_with_the_same_seed(election):
    simulate_results("--election=test", "--count=50", "--seed=7", "--force")
    first = list(
        Completion.objects.order_by("day", "answers", "scores", "best").values_list(
            "day", "answers", "scores", "best"
        )
    )
    assert len(first) == 50
    Completion.objects.all().delete()
    simulate_results("--election=test", "--count=50", "--seed=7", "--force")
    again = list(
        Completion.objects.order_by("day", "answers", "scores", "best").values_list(
            "day", "answers", "scores", "best"
        )
    )
    assert again == first


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--election=nope", "--count=5"], "--election: no election with slug 'nope'"),
        (["--election=test", "--count=0"], "expected a whole number of at least 1, not '0'"),
    ],
)
def test_simulate_refuses_bad_options(election, args, message):
    with pytest.raises(CommandError, match=message):
        simulate_results(*args)
    assert not Completion.objects.exists()


def test_synthetic_voters_answer_like_the_party_they_lean_to():
    """Alfa agrees with every statement and Bravo disagrees. Under uniform noise a voter gives
    the same answer to two statements a third of the time; drawn around the two profiles,
    clearly more often."""
    alfa, bravo = PartyFactory(slug="alfa"), PartyFactory(slug="bravo")
    election = ElectionFactory(parties=[alfa, bravo])
    for n in (1, 2, 3):
        statement = StatementFactory(election=election, order=n)
        StanceFactory(statement=statement, party=alfa, position="agree")
        StanceFactory(statement=statement, party=bravo, position="disagree")
    data = catalog.load(election)
    rows = simulate.completions(data, 3000, 1, simulate.Rules.of(scoring, data))
    pairs = [codec.unpack_answers(answers)[:2] for _, answers, _, _ in rows]
    answered = [(a, b) for (a, _), (b, _) in pairs if "skip" not in (a, b)]
    assert sum(a == b for a, b in answered) / len(answered) > 0.40


@pytest.mark.parametrize("scale", [3, 5])
@pytest.mark.parametrize("method", scoring.METHODS)
def test_the_fast_scorer_scores_and_ranks_exactly_like_the_quiz(method, scale):
    rng = random.Random(f"{method}{scale}")
    ids = list(range(100, 112))
    values = [-2, -1, 0, 1, 2] if scale == 5 else [-1, 0, 1]
    answers_of_scale = answers_for(scale)
    parties = [
        scoring.PartyPositions(
            f"p{n}", f"P{n}", {i: rng.choice([*values, None, None]) for i in ids}
        )
        for n in range(6)
    ]
    rules = simulate.Rules(
        scoring.ANSWER_VALUES,
        scoring.POSITION_VALUES,
        scoring.IMPORTANT_WEIGHT,
        scoring.scale_range(scale),
        scale,
        Fraction(1, 2),
    )
    scorer = simulate.Scorer(method, [[p.positions[i] for i in ids] for p in parties], rules)
    for _ in range(300):
        answers = {i: rng.choice(answers_of_scale) for i in ids}
        important = {i for i in ids if rng.random() < 0.2}
        blob = codec.pack_answers(ids, answers, important)
        values = {i: scoring.ANSWER_VALUES[a] for i, a in answers.items()}
        matches = scoring.rank(values, important, parties, method, Fraction(1, 2), scale)
        expected = {m.party: m.score for m in matches}
        first = sorted(int(m.party[1:]) for m in matches if m.rank == 1)
        scores, best = scorer.scored(blob, [True] * len(parties))
        assert scores == [expected[p.slug] for p in parties]
        assert sorted(best) == first


def test_simulated_completions_are_scored_and_ranked_as_the_quiz_on_a_5_point_election():
    """Charlie takes a stance on one statement only: below the coverage threshold it is never
    the best match, however well it scores."""
    alfa, bravo, charlie = (PartyFactory(slug=s) for s in ("alfa", "bravo", "charlie"))
    election = ElectionFactory(parties=[alfa, bravo, charlie], scale=5, slug="five")
    for n, (a, b) in enumerate(
        [
            ("strongly_agree", "disagree"),
            ("agree", "strongly_disagree"),
            ("neutral", "agree"),
            ("strongly_disagree", "strongly_agree"),
        ]
    ):
        statement = StatementFactory(election=election, order=n)
        StanceFactory(statement=statement, party=alfa, position=a)
        StanceFactory(statement=statement, party=bravo, position=b)
        if n == 0:
            StanceFactory(statement=statement, party=charlie, position="strongly_agree")
    simulate_results("--election=five", "--count=300", "--force")
    data = catalog.load(election)
    ids = [s.id for s in data.statements]
    seen = set()
    for row in Completion.objects.filter(layout__election=election):
        unpacked = codec.unpack_answers(row.answers)
        seen.update(answer for answer, _ in unpacked)
        values = {i: scoring.ANSWER_VALUES[a] for i, (a, _) in zip(ids, unpacked, strict=True)}
        important = {i for i, (_, m) in zip(ids, unpacked, strict=True) if m}
        chosen = [
            s
            for s, v in zip(data.party_slugs, codec.unpack_scores(row.scores), strict=True)
            if v is not None
        ]
        parties = scoring.party_positions(data, chosen)
        matches = scoring.rank(values, important, parties, data.method, data.ranking_threshold, 5)
        expected = [
            codec.hundredths(m.score) / 100 if m.score is not None else None for m in matches
        ]
        by_slug = dict(zip(data.party_slugs, codec.unpack_scores(row.scores), strict=True))
        assert [by_slug[m.party] for m in matches] == expected
        first = {m.party for m in matches if m.rank == 1}
        assert {data.party_slugs[i] for i in row.best} == first
    assert {"strongly_agree", "strongly_disagree"} <= seen


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_export_shows_progress_on_a_terminal(known, tmp_path):
    stderr = Terminal()
    call_command(
        "export_stats",
        "--election=test",
        "--microdata",
        "--format=csv",
        f"--out={tmp_path / 'm.csv'}",
        stdout=io.StringIO(),
        stderr=stderr,
    )
    assert "\rExporting [" in stderr.getvalue()
    assert "25/25" in stderr.getvalue()


def test_export_is_quiet_when_piped(known, tmp_path):
    stderr = io.StringIO()
    call_command(
        "export_stats",
        "--election=test",
        "--microdata",
        "--format=csv",
        f"--out={tmp_path / 'm.csv'}",
        stdout=io.StringIO(),
        stderr=stderr,
    )
    assert stderr.getvalue() == ""


def test_purge_counted_runs_deletes_only_the_expired_run_tokens():
    today = timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)
    CountedRun.objects.bulk_create(
        [CountedRun(token=f"old-{n}", expires=yesterday) for n in range(3)]
        + [CountedRun(token="current", expires=today)]
    )
    out = io.StringIO()
    call_command("purge_counted_runs", stdout=out)
    assert out.getvalue() == "Deleted 3 expired run tokens.\n"
    assert list(CountedRun.objects.values_list("token", flat=True)) == ["current"]


def test_a_purge_in_batches_deletes_at_most_a_batch():
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    CountedRun.objects.bulk_create(
        [CountedRun(token=f"old-{n}", expires=yesterday) for n in range(3)]
    )
    assert purge_expired_runs(timezone.localdate(), batch=2) == 2
    assert CountedRun.objects.count() == 1

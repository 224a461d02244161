import functools

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_htmx.http import HttpResponseClientRedirect, HttpResponseClientRefresh

from positions import catalog
from stats.recording import CompletedQuiz, client_key, record_completion

from . import answers, ballot, pages, scoring
from .forms import AnswerForm, DayPartiesForm, ImportantForm, NotCountedForm, PartiesForm
from .results import build_result, min_answers, reserve_offer, stability_text


class Withdrawn(Exception):
    """The voter started on an election whose publication the editors have since withdrawn."""


def _election_or_404(slug: str, request: HttpRequest | None = None) -> catalog.ElectionData:
    """The published election; with `request`, the version this voter started on, or, for an
    editor allowed to preview, a draft election. A voter who started on an election that is no
    longer published is told so (`Withdrawn`), not sent a 404."""
    election = catalog.published_election(slug)
    if election is not None and request is not None:
        election = answers.started_election(request.session, election)
    elif election is None and request is not None and _may_preview(request):
        election = catalog.draft_election(slug)
    elif election is None and request is not None and answers.has_started(request.session, slug):
        raise Withdrawn
    if election is None:
        raise Http404("Deze verkiezing bestaat niet of is niet gepubliceerd.")
    return election.localized(get_language() or "nl")


def _tells_withdrawn(view):
    """The voter's pages of one election: a withdrawn election gets a plain page saying so."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, slug: str, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, slug, *args, **kwargs)
        except Withdrawn:
            if request.htmx:
                return _htmx_aware(HttpResponseClientRefresh())
            return _htmx_aware(render(request, "quiz/withdrawn.html", status=410))

    return wrapper


def _may_preview(request: HttpRequest) -> bool:
    return request.user.is_staff and request.user.has_perm("positions.preview_election")


def _neutral_order(request: HttpRequest, data: catalog.ElectionData, create: bool = True):
    """The election's parties in its neutral order for this voter (random per voter, or by name)."""
    if data.party_order != "random":
        return data.parties
    if create:
        seed = answers.order_seed(request.session)
    else:
        seed = request.session.get(answers.SEED_KEY) or request.get_full_path()
    return data.parties_in_order(seed)


def _htmx_aware(response: HttpResponse) -> HttpResponse:
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    language = get_language() or "nl"
    elections = [
        e | {"name": e["names"].get(language, e["name"]), "in_dutch": _in_dutch(e, language)}
        for e in catalog.published_elections()
    ]
    days = [d.localized(language) for d in catalog.published_ballot_days()]
    key = (
        tuple((e["slug"], e["name"], e["date"], e["in_dutch"]) for e in elections),
        tuple((d.slug, d.name, d.date, d.fallback) for d in days),
    )
    context = lambda: {"elections": elections, "days": days}  # noqa: E731
    return pages.render(request, "quiz/home.html", key, context)


def _in_dutch(election: dict, language: str) -> bool:
    """Whether the election's name is shown in Dutch for want of a translation."""
    return language != "nl" and language not in election["names"]


@require_safe
@_tells_withdrawn
def election(request: HttpRequest, slug: str) -> HttpResponse:
    data = _election_or_404(slug, request)
    voter = answers.load(request.session, data)
    resume = voter.first_unanswered(data)
    day = next((d for d in catalog.published_ballot_days() if data.slug in d.elections), None)
    day = day and day.localized(get_language() or "nl")
    return pages.render(
        request,
        "quiz/election.html",
        (data.version, bool(voter.answers), resume, day and (day.slug, day.name, day.fallback)),
        lambda: {"election": data, "voter": voter, "resume": resume, "day": day},
    )


FROM_OVERVIEW = "overzicht"


def _from_overview(request: HttpRequest) -> bool:
    """The voter came from the overview to change an answer, and goes back there after it.

    Most steps have no query string, and then `request.GET` is not built at all."""
    return bool(request.META.get("QUERY_STRING")) and request.GET.get("terug") == FROM_OVERVIEW


def _answered_numbers(data, voter) -> tuple[int, ...]:
    return tuple(s.number for s in data.statements if s.id in voter.answers)


def _statement_context(data, voter, number, from_overview, form=None, parties=()):
    statement = data.statement(number)
    current = voter.answers.get(statement.id)
    if form is None:
        form = AnswerForm(scale=data.scale, initial={"important": statement.id in voter.important})
    post_url = reverse("quiz:statement", args=[data.slug, number])
    answered = set(_answered_numbers(data, voter))
    asked = voter.asked(data)
    position = asked.index(statement)
    return {
        "election": data,
        "scale": data.scale,
        "statement": statement,
        "number": number,
        "position": position + 1,
        "previous": asked[position - 1].number if position else None,
        "last": position == len(asked) - 1,
        "reserve": statement.id in data.reserve,
        "total": len(asked),
        "current": current,
        "important": statement.id in voter.important,
        "form": form,
        "arguments": [(party, data.stance(statement.id, party.slug)) for party in parties],
        "from_overview": from_overview,
        "post_url": f"{post_url}?terug={FROM_OVERVIEW}" if from_overview else post_url,
        "jump": [(s.number, n, s.number in answered) for n, s in enumerate(asked, 1)],
    }


def _render_statement(request, data, voter, number, form=None, status=200, from_overview=None):
    template = "quiz/statement.html"
    if pages.from_htmx(request) and request.META.get("HTTP_HX_BOOSTED") != "true":
        template += "#statement-card"
    parties = _neutral_order(request, data)
    if from_overview is None:
        from_overview = _from_overview(request)
    if form is not None:
        context = _statement_context(data, voter, number, from_overview, form, parties)
        return _htmx_aware(render(request, template, context, status=status))
    statement_id = data.statement(number).id
    key = (
        data.version,
        number,
        voter.answers.get(statement_id),
        statement_id in voter.important,
        tuple(p.slug for p in parties),
        from_overview,
        _answered_numbers(data, voter),
        tuple(voter.extra or ()),
    )
    response = pages.render(
        request,
        template,
        key,
        lambda: _statement_context(data, voter, number, from_overview, parties=parties),
        status=status,
    )
    return _htmx_aware(response)


@require_http_methods(["GET", "HEAD", "POST"])
@_tells_withdrawn
def statement(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    data = _election_or_404(slug, request)
    voter = answers.load(request.session, data)
    if data.statement(number) not in voter.asked(data):
        raise Http404("Deze stelling bestaat niet.")
    if request.method != "POST":
        return _render_statement(request, data, voter, number)

    form = AnswerForm(request.POST, scale=data.scale)
    if not form.is_valid():
        return _render_statement(request, data, voter, number, form, status=400)
    statement_id = data.statement(number).id
    voter.answers[statement_id] = form.cleaned_data["answer"]
    voter.important.discard(statement_id)
    if form.cleaned_data["important"]:
        voter.important.add(statement_id)
    answers.save(request.session, data, voter)

    asked = voter.asked(data)
    following = asked.index(data.statement(number)) + 1
    if following < len(asked) and not _from_overview(request):
        url = reverse("quiz:statement", args=[slug, asked[following].number])
        if request.htmx:
            response = _render_statement(
                request, data, voter, asked[following].number, from_overview=False
            )
            response["HX-Push-Url"] = url
            return response
        return redirect(url)
    if statement_id in data.reserve and not _from_overview(request):
        url = reverse("quiz:result", args=[slug])
    else:
        url = reverse("quiz:overview", args=[slug])
    return _htmx_aware(HttpResponseClientRedirect(url) if request.htmx else redirect(url))


@require_http_methods(["GET", "HEAD", "POST"])
@_tells_withdrawn
def overview(request: HttpRequest, slug: str) -> HttpResponse:
    data = _election_or_404(slug, request)
    voter = answers.load(request.session, data)
    if request.method == "POST":
        form = ImportantForm(request.POST, statements=voter.asked(data))
        if form.is_valid():
            voter.important = set(form.cleaned_data["important"])
            answers.save(request.session, data, voter)
            return redirect("quiz:parties", slug)
    else:
        form = ImportantForm(
            statements=voter.asked(data), initial={"important": sorted(voter.important)}
        )
    rows = [(s, voter.answers.get(s.id)) for s in voter.asked(data)]
    return render(
        request,
        "quiz/overview.html",
        {"election": data, "form": form, "rows": rows, "voter": voter},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@_tells_withdrawn
def parties(request: HttpRequest, slug: str) -> HttpResponse:
    data = _election_or_404(slug, request)
    voter = answers.load(request.session, data)
    select = request.POST.get("select")
    if request.method == "POST" and select in ("all", "none"):
        ticked = [p.slug for p in data.parties] if select == "all" else []
        form = PartiesForm(election=data, initial={"parties": ticked})
    elif request.method == "POST":
        form = PartiesForm(request.POST, election=data)
        if form.is_valid():
            voter.parties = form.cleaned_data["parties"]
            voter.not_counted = form.cleaned_data["not_counted"]
            answers.save(request.session, data, voter)
            if voter.extra is None and reserve_offer(data, voter):
                return redirect("quiz:tie-break", slug)
            return redirect("quiz:result", slug)
    else:
        initial = {"parties": voter.chosen_parties(data), "not_counted": voter.not_counted}
        form = PartiesForm(election=data, initial=initial)
    form.fields["parties"].choices = [(p.slug, p.name) for p in _neutral_order(request, data)]
    return render(
        request,
        "quiz/parties.html",
        {"election": data, "form": form},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@_tells_withdrawn
def tie_break(request: HttpRequest, slug: str) -> HttpResponse:
    """The offer of reserve statements when the first two parties are close; accepted, they are
    asked one by one before the result."""
    data = _election_or_404(slug, request)
    voter = answers.load(request.session, data)
    offer = reserve_offer(data, voter)
    if offer is None:
        return redirect("quiz:result", slug)
    choice = request.POST.get("choice")
    if request.method == "POST" and choice in ("yes", "no"):
        offered = [s.id for s in offer.statements] if choice == "yes" else []
        voter.extra = [*(voter.extra or ()), *offered]
        answers.save(request.session, data, voter)
        if choice == "yes":
            return redirect("quiz:statement", slug, offer.statements[0].number)
        return redirect("quiz:result", slug)
    error = (
        _("Kies of je de extra stellingen wilt beantwoorden.") if request.method == "POST" else ""
    )
    context = {"election": data, "offer": offer, "error": error}
    return render(request, "quiz/tie_break.html", context, status=400 if error else 200)


def _render_result(request, data, voter, parties, shared=False) -> tuple[HttpResponse, dict]:
    result = build_result(data, voter)
    path = reverse("quiz:shared", args=[data.slug])
    share_url = request.build_absolute_uri(f"{path}?{answers.share_query(data, voter)}")
    chosen = [p for p in parties if p.slug in voter.chosen_parties(data)]
    response = pages.result_page(request, data, voter, result, chosen, share_url, shared)
    return response, result


@require_safe
@_tells_withdrawn
def result(request: HttpRequest, slug: str) -> HttpResponse:
    data = _election_or_404(slug, request)
    voter = answers.load(request.session, data)
    response, result = _render_result(request, data, voter, _neutral_order(request, data))
    if (
        request.method == "GET"
        and not voter.recorded
        and not voter.not_counted
        and voter.first_unanswered(data) is None
        and record_completion(_completed(data, voter, result["results"]), client_key(request))
    ):
        voter.recorded = True
        answers.save(request.session, data, voter)
    return response


def _completed(data, voter, results) -> CompletedQuiz:
    """What the statistics are told of a finished quiz: plain values, in the election's order.
    A reserve statement the voter was not asked counts as skipped, as it does in the result."""
    return CompletedQuiz(
        election=data.slug,
        version=data.version,
        method=data.method,
        statements=[s.id for s in data.statements],
        parties=list(data.party_slugs),
        answers=dict.fromkeys(data.reserve, "skip") | dict(voter.answers),
        important=frozenset(voter.important),
        scores={r.party.slug: r.score for r in results},
        first=[r.party.slug for r in results if r.rank == 1],
        run=voter.run,
    )


@require_safe
def shared_result(request: HttpRequest, slug: str) -> HttpResponse:
    """Someone's result rebuilt from the answers in the link; nothing is read or stored.

    A link names the published version it was made on, so a later correction of the election
    cannot pair its answers with other statements."""
    data = _election_or_404(slug)
    try:
        data = _shared_version(data, request.GET.get("v"))
        voter = answers.from_share_query(data, request.GET)
    except answers.InvalidShare as exc:
        context = {"election": data, "message": str(exc)}
        return render(request, "quiz/share_invalid.html", context, status=400)
    parties = _neutral_order(request, data, create=False)
    response, _ = _render_result(request, data, voter, parties, shared=True)
    return response


def _shared_version(current: catalog.ElectionData, version: str | None) -> catalog.ElectionData:
    if version is None or (answers.is_id(version) and int(version) == current.version_id):
        return current
    shared = catalog.election_version(int(version)) if answers.is_id(version) else None
    if shared is None or shared.slug != current.slug:
        raise answers.InvalidShare(_("Deze link hoort bij een versie die niet bestaat."))
    return shared.localized(get_language() or "nl")


@require_POST
@_tells_withdrawn
def restart(request: HttpRequest, slug: str) -> HttpResponse:
    data = _election_or_404(slug, request)
    answers.forget(request.session, data)
    return redirect("quiz:statement", slug, 1)


@require_safe
def methodology(request: HttpRequest) -> HttpResponse:
    context = {
        "important_weight": scoring.IMPORTANT_WEIGHT,
        "methods": scoring.METHODS,
        "margin": catalog.DEFAULT_MARGIN,
    }
    return pages.render(request, "quiz/methodology.html", (), lambda: context)


# --- ballot days: several elections of one day in one quiz (`quiz.ballot`) -----------------


def _plan_or_404(request: HttpRequest, slug: str, shared_query=None) -> ballot.Plan:
    """The published ballot day with the election versions this voter started on (or, with
    `shared_query`, the versions a shared link names); for an editor allowed to preview, a draft
    day (a preview is no completion: the statistics count published elections only)."""
    day, current = catalog.published_ballot_day_with_elections(slug)
    if day is None and shared_query is None and _may_preview(request):
        day, current = catalog.draft_ballot_day(slug) or (None, ())
    if not current:
        raise Http404("Deze verkiezingsdag bestaat niet of is niet gepubliceerd.")
    if shared_query is not None:
        elections = ballot.shared_elections(current, shared_query)
    else:
        elections = tuple(answers.started_election(request.session, e) for e in current)
    language = get_language() or "nl"
    localized = tuple(e.localized(language) for e in elections)
    return ballot.cached_plan(day.localized(language), localized, language)


@require_safe
def day(request: HttpRequest, slug: str) -> HttpResponse:
    plan = _plan_or_404(request, slug)
    voter = ballot.load(request.session, plan)
    resume = ballot.first_unanswered(plan.round_steps(), voter)
    context = {
        "plan": plan,
        "shared_count": len(plan.round_steps()),
        "started": bool(voter.answers),
        "resume": resume,
    }
    return render(request, "quiz/day.html", context)


def _day_arguments(request, plan, step) -> list[tuple]:
    """Per election asking the statement, its parties in their neutral order with their stance."""
    levels = []
    for slug in step.elections:
        election = plan.election(slug)
        parties = _neutral_order(request, election)
        levels.append(
            (election, [(p, election.stance(step.statement.id, p.slug)) for p in parties])
        )
    return [(election, arguments) for election, arguments in levels if arguments]


def _day_statement_context(plan, voter, step, form=None, arguments=()):
    current = voter.answers.get(step.statement.id)
    if form is None:
        form = AnswerForm(
            scale=step.scale, initial={"important": step.statement.id in voter.important}
        )
    steps = plan.round_steps(step.round)
    return {
        "plan": plan,
        "step": step,
        "scale": step.scale,
        "statement": step.statement,
        "round_election": plan.election(step.round) if step.round else None,
        "position": steps.index(step) + 1,
        "total": len(steps),
        "previous": plan.step(step.number - 1) if steps[0] != step else None,
        "has_next": plan.next_in_round(step) is not None,
        "current": current,
        "important": step.statement.id in voter.important,
        "form": form,
        "post_url": reverse("quiz:day-statement", args=[plan.day.slug, step.number]),
        "jump": [(s.number, i, s.statement.id in voter.answers) for i, s in enumerate(steps, 1)],
        "levels_arguments": arguments,
    }


def _render_day_statement(request, plan, voter, step, form=None, status=200):
    template = "quiz/day_statement.html"
    if pages.from_htmx(request) and request.META.get("HTTP_HX_BOOSTED") != "true":
        template += "#statement-card"
    arguments = _day_arguments(request, plan, step)
    if form is not None:
        context = _day_statement_context(plan, voter, step, form, arguments)
        return _htmx_aware(render(request, template, context, status=status))
    steps = plan.round_steps(step.round)
    key = (
        plan.version,
        step.number,
        voter.answers.get(step.statement.id),
        step.statement.id in voter.important,
        tuple(s.number for s in steps if s.statement.id in voter.answers),
        tuple(tuple(party.slug for party, _stance in level) for _election, level in arguments),
    )
    context = lambda: _day_statement_context(plan, voter, step, arguments=arguments)  # noqa: E731
    return _htmx_aware(pages.render(request, template, key, context, status=status))


@require_http_methods(["GET", "HEAD", "POST"])
def day_statement(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    plan = _plan_or_404(request, slug)
    step = plan.step(number)
    if step is None:
        raise Http404("Deze stelling bestaat niet.")
    voter = ballot.load(request.session, plan)
    if request.method != "POST":
        return _render_day_statement(request, plan, voter, step)
    form = AnswerForm(request.POST, scale=step.scale)
    if not form.is_valid():
        return _render_day_statement(request, plan, voter, step, form, status=400)
    answer, important = form.cleaned_data["answer"], form.cleaned_data["important"]
    ballot.answer(request.session, plan, step, answer, important)
    following = plan.next_in_round(step)
    if following is None:
        url = reverse("quiz:day-rounds", args=[slug])
        return _htmx_aware(HttpResponseClientRedirect(url) if request.htmx else redirect(url))
    url = reverse("quiz:day-statement", args=[slug, following.number])
    if not request.htmx:
        return redirect(url)
    voter = ballot.load(request.session, plan)
    response = _render_day_statement(request, plan, voter, following)
    response["HX-Push-Url"] = url
    return response


@require_http_methods(["GET", "HEAD", "POST"])
def day_rounds(request: HttpRequest, slug: str) -> HttpResponse:
    """After the shared statements: each election's own statements as an optional extra round,
    or straight to the result (a form, which also says whether to leave the statistics)."""
    plan = _plan_or_404(request, slug)
    form = NotCountedForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        for election in plan.elections:
            entry = answers.load(request.session, election)
            entry.not_counted = form.cleaned_data["not_counted"]
            answers.save(request.session, election, entry)
        following = (
            "quiz:day-parties" if request.POST.get("next") == "parties" else "quiz:day-result"
        )
        return redirect(following, slug)
    voter = ballot.load(request.session, plan)
    rounds = []
    for election, steps in plan.rounds:
        answered = sum(1 for s in steps if s.statement.id in voter.answers)
        start = ballot.first_unanswered(steps, voter) or steps[0]
        rounds.append(
            {"election": election, "count": len(steps), "answered": answered, "start": start}
        )
    opted_out = any(answers.load(request.session, e).not_counted for e in plan.elections)
    context = {
        "plan": plan,
        "rounds": rounds,
        "resume": ballot.first_unanswered(plan.round_steps(), voter),
        "form": NotCountedForm(initial={"not_counted": opted_out}),
    }
    return render(request, "quiz/day_rounds.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def day_parties(request: HttpRequest, slug: str) -> HttpResponse:
    """The parties to compare with, chosen by name across the day's elections."""
    plan = _plan_or_404(request, slug)
    names, only = ballot.party_names(plan), ballot.running(plan)
    select = request.POST.get("select")
    if request.method == "POST" and select in ("all", "none"):
        ticked = names if select == "all" else []
        form = DayPartiesForm(names=names, only=only, initial={"parties": ticked})
    elif request.method == "POST":
        form = DayPartiesForm(request.POST, names=names, only=only)
        if form.is_valid():
            ballot.choose_parties(request.session, plan, form.cleaned_data["parties"])
            return redirect("quiz:day-result", slug)
    else:
        ticked = ballot.chosen_names(plan, ballot.load(request.session, plan))
        form = DayPartiesForm(names=names, only=only, initial={"parties": ticked})
    context = {"plan": plan, "form": form}
    return render(request, "quiz/day_parties.html", context, status=400 if form.errors else 200)


def _day_level(election, voter, shared: bool) -> dict:
    """One election's column of a ballot-day result: its own result for the answers to its
    statements, ranked parties with their comparisons and sources and the stability of its first
    place, as on its own result page."""
    answers = ballot.level_voter(voter, election)
    result = build_result(election, answers)
    return {
        "election": election,
        "result": result,
        "ranking": pages.rank_items(election, answers, result["ranked"], shared),
        "unranked": pages.rank_items(election, answers, result["unranked"], shared),
        "threshold_percent": round(election.ranking_threshold * 100),
        "min_answers": min_answers(election),
        "stability": stability_text(election, result["stability"], shared),
    }


def _render_day_result(request, plan, voter, shared: bool) -> tuple[HttpResponse, list[dict]]:
    levels = [_day_level(election, voter, shared) for election in plan.elections]
    tops = ballot.top_parties((level["election"], level["result"]) for level in levels)
    path = reverse("quiz:day-shared", args=[plan.day.slug])
    share_url = request.build_absolute_uri(f"{path}?{ballot.share_query(plan, voter)}")
    summary = ballot.summary_text(plan.day, [level["result"] for level in levels], share_url)
    context = {
        "plan": plan,
        "shared": shared,
        "levels": levels,
        "tops": tops,
        "top": ballot.top_agreement(tops),
        "share_url": share_url,
        "summary": summary,
        "summary_rows": summary.count("\n") + 1,
    }
    return render(request, "quiz/day_result.html", context), levels


@require_safe
def day_result(request: HttpRequest, slug: str) -> HttpResponse:
    plan = _plan_or_404(request, slug)
    voter = ballot.load(request.session, plan)
    response, levels = _render_day_result(request, plan, voter, shared=False)
    previewed = catalog.published_ballot_day(slug) is None
    if request.method == "GET" and not previewed and ballot.shared_done(plan, voter):
        _record_levels(request, levels)
    return response


def _record_levels(request: HttpRequest, levels) -> None:
    """A completion on a ballot day counts once per level scored: each election's entry is
    recorded as a completion of that election, once, as if the voter had come in through it."""
    client = client_key(request)
    for level in levels:
        election, result = level["election"], level["result"]
        entry = answers.load(request.session, election)
        if entry.recorded or entry.not_counted:
            continue
        complete = ballot.for_statistics(entry, election)
        if record_completion(_completed(election, complete, result["results"]), client):
            entry.recorded = True
            answers.save(request.session, election, entry)


@require_safe
def day_shared(request: HttpRequest, slug: str) -> HttpResponse:
    """Someone's ballot-day result rebuilt from the answers in the link; nothing is stored."""
    try:
        plan = _plan_or_404(request, slug, shared_query=request.GET)
        voter = ballot.from_share_query(plan, request.GET)
    except answers.InvalidShare as exc:
        day = catalog.published_ballot_day(slug)
        context = {
            "election": day and day.localized(get_language() or "nl"),
            "start_url": reverse("quiz:day", args=[slug]),
            "message": str(exc),
        }
        return render(request, "quiz/share_invalid.html", context, status=400)
    response, _ = _render_day_result(request, plan, voter, shared=True)
    return response


@require_POST
def day_restart(request: HttpRequest, slug: str) -> HttpResponse:
    plan = _plan_or_404(request, slug)
    ballot.forget(request.session, plan)
    return redirect("quiz:day-statement", slug, 1)

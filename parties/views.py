"""The party contact's own pages (not the Django admin): the round's dashboard, one page per
statement, submitting, the party's programmes, and accepting the invitation.

Every page looks the round up through the logged-in contact (`_contact_round`), never through an
id in the URL or the form: a contact reaches its own round and nothing else.
"""

import functools

from django.contrib import messages
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth import get_user_model, login
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.views import LoginView, LogoutView, redirect_to_login
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from positions.forms import MAX_ID
from positions.manifesto import quote_of_lines
from positions.models import ManifestoDocument, Passage
from positions.search import find_passages

from . import answering
from .forms import (
    AnswerForm,
    ContactLoginForm,
    EvidenceSearchForm,
    ProgrammeForm,
    ReplyForm,
    initial_for,
)
from .invitations import contact_for, token_hash
from .models import Answer, AnswerStatus, Contact, Mode, Round

# Answers "Alles indienen" sends (again).
OPEN = (AnswerStatus.OPEN, AnswerStatus.CONTESTED)
# Passages the evidence search shows: more than the editors' first five.
EVIDENCE_LIMIT = 15
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"

login_view = LoginView.as_view(
    template_name="parties/login.html",
    authentication_form=ContactLoginForm,
    next_page=reverse_lazy("parties:home"),
    redirect_authenticated_user=False,
)
logout_view = LogoutView.as_view(next_page=reverse_lazy("parties:login"))


def contact_required(view):
    """A page of the contact's round: anonymous visitors log in first; staff and other accounts
    get a 403 page. Never stored by a browser or proxy: it shows the party's unpublished answers."""

    @functools.wraps(view)
    @never_cache
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("parties:login"))
        contact = getattr(request.user, "party_contact", None)
        if request.user.is_staff or contact is None:
            return render(request, "403.html", status=403)
        return view(request, _contact_round(contact), *args, **kwargs)

    return wrapper


def _contact_round(contact: Contact) -> Round:
    return Round.objects.select_related("election", "party").get(pk=contact.round_id)


def _statement_or_404(round_: Round, statement_id: int):
    if statement_id > MAX_ID:
        raise Http404
    return get_object_or_404(round_.statements(), pk=statement_id)


@require_http_methods(["GET", "HEAD"])
@contact_required
def home(request: HttpRequest, round_: Round) -> HttpResponse:
    statements = list(round_.statements().select_related("theme"))
    answers = {
        a.statement_id: a for a in Answer.objects.filter(round=round_).prefetch_related("comments")
    }
    rows = [(s, answers.get(s.pk)) for s in statements]
    contested = [(s, a) for s, a in rows if a and a.status == AnswerStatus.CONTESTED]
    context = {
        "round": round_,
        "progress": answering.progress(round_),
        "contested": contested,
        "rows": [(s, a) for s, a in rows if (s, a) not in contested],
        "can_submit": not round_.is_past_deadline
        and not round_.election.is_published
        and (round_.submitted_at is None or any(a and a.status in OPEN for s, a in rows)),
    }
    return render(request, "parties/home.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@contact_required
def submit(request: HttpRequest, round_: Round) -> HttpResponse:
    """ "Alles indienen": a page that asks to confirm (GET), then the submission (POST)."""
    if request.method == "POST":
        try:
            count = answering.submit_all(round_, request.user)
        except answering.NotAllowed as refusal:
            context = {"round": round_, "refusal": str(refusal)}
            return render(request, "parties/submit.html", context, status=400)
        messages.success(
            request,
            ngettext(
                "%(count)s antwoord ingediend. De redactie bekijkt het nu.",
                "%(count)s antwoorden ingediend. De redactie bekijkt ze nu.",
                count,
            )
            % {"count": count},
        )
        return redirect("parties:home")
    context = {
        "round": round_,
        "progress": answering.progress(round_),
        "missing": answering.unanswered(round_),
    }
    return render(request, "parties/submit.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@contact_required
def statement(request: HttpRequest, round_: Round, statement_id: int) -> HttpResponse:
    statement = _statement_or_404(round_, statement_id)
    answer = Answer.objects.filter(round=round_, statement=statement).first()
    # "Gebruik dit citaat" without JavaScript posts the form to fill in the quote, not to save.
    if request.method == "POST" and "gebruik" not in request.GET:
        form = AnswerForm(request.POST, round_=round_)
        if form.is_valid():
            try:
                answering.save_answer(round_, statement, request.user, form.submission())
            except ValidationError as error:
                form.add_error(None, error)
            except answering.NotAllowed as refusal:
                form.add_error(None, str(refusal))
        if form.is_valid():
            messages.success(
                request, _("Antwoord op “%(title)s” bewaard.") % {"title": statement.title}
            )
            return redirect(_next_url(round_, statement))
        return _statement_page(request, round_, statement, answer, form, status=400)
    return _statement_page(request, round_, statement, answer)


def _next_url(round_: Round, statement) -> str:
    following = _neighbours(round_, statement)["next_id"]
    if following is None:
        return reverse("parties:home")
    return reverse("parties:statement", args=[following])


def _statement_page(
    request, round_, statement, answer, form=None, reply_form=None, status=200
) -> HttpResponse:
    search = EvidenceSearchForm(request.GET)
    words, chosen = "", None
    if search.is_valid():
        words, chosen = search.cleaned_data["woorden"], search.cleaned_data["gebruik"]
    if form is None:
        initial = initial_for(answer) | _prefill(request, round_, chosen)
        form = AnswerForm(initial=initial, round_=round_)
    stance = answering.own_stance(round_, statement) if round_.mode == Mode.CHECK else None
    context = {
        "round": round_,
        "statement": statement,
        "answer": answer,
        "editable": answering.may_edit(round_, answer),
        "stance": stance,
        "seen": _seen(form, statement, stance, refill=bool(request.htmx and chosen is not None)),
        "form": form,
        "reply_form": reply_form or ReplyForm(),
        "words": words,
        "searched": "woorden" in request.GET,
        "passages": _passages(round_, statement, words) if "woorden" in request.GET else [],
        "limit": EVIDENCE_LIMIT,
        **_neighbours(round_, statement),
    }
    template = "parties/statement.html"
    if request.htmx and chosen is not None:
        template += "#answer-form"
    elif request.htmx and "woorden" in request.GET:
        template += "#evidence"
    response = render(request, template, context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _seen(form: AnswerForm, statement, stance, refill: bool) -> dict:
    """What the answer form carries of the page it was filled on: the statement's text and the
    coding shown. A form sent back, or refilled by "Gebruik dit citaat", keeps those of the page
    the party read; a first visit, and a form refused because they changed, carry the current
    ones, which the page then shows. A form refilled alone (htmx) without them carries none, so
    that saving it is refused: the page around it may show another text or coding."""
    seen = {"wording": answering.wording_of(statement.text), "coding": answering.coding_of(stance)}
    if refill:
        seen = dict.fromkeys(seen, "")
    kept = form.data if form.is_bound else form.initial
    for name in seen:
        if name in kept and name in form.fields and not form.has_error(name):
            seen[name] = kept[name]
    return seen


def _passages(round_: Round, statement, words: str):
    query = words.strip() or f"{statement.title} {statement.text}"
    return find_passages(round_.party, query, election=round_.election, limit=EVIDENCE_LIMIT)


def _prefill(request: HttpRequest, round_: Round, passage_id: int | None) -> dict:
    """ "Gebruik dit citaat": the passage's verbatim lines and programme, over what the form
    already held: htmx sends the form's fields along in the query, the page without JavaScript
    posts the form (the text and coding its page showed too)."""
    if passage_id is None:
        return {}
    passage = (
        Passage.objects.filter(pk=passage_id, document__party_id=round_.party_id)
        .select_related("document")
        .first()
    )
    if passage is None:
        return {}
    typed = ("agrees", "position", "explanation", "coding", "wording")
    sent = request.POST if request.method == "POST" else request.GET
    kept = {k: sent[k] for k in typed if k in sent}
    text = passage.document.original_text
    quote = quote_of_lines(text, passage.line_start, passage.line_end)
    return kept | {"document": passage.document_id, "quote": quote}


def _neighbours(round_: Round, statement) -> dict:
    ids = list(round_.statements().values_list("pk", flat=True))
    at = ids.index(statement.pk)
    return {
        "previous_id": ids[at - 1] if at else None,
        "next_id": ids[at + 1] if at + 1 < len(ids) else None,
        "number": at + 1,
        "total": len(ids),
    }


@require_POST
@contact_required
def reply(request: HttpRequest, round_: Round, statement_id: int) -> HttpResponse:
    statement = _statement_or_404(round_, statement_id)
    answer = get_object_or_404(Answer, round=round_, statement=statement)
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            answering.reply(answer, request.user, form.cleaned_data["text"])
        except ValidationError as error:
            form.add_error(None, error)
        except answering.NotAllowed as refusal:
            form.add_error(None, str(refusal))
    if not form.is_valid():
        return _statement_page(request, round_, statement, answer, reply_form=form, status=400)
    messages.success(request, _("Uw reactie staat bij het antwoord."))
    return redirect("parties:statement", statement.pk)


@require_http_methods(["GET", "HEAD", "POST"])
@contact_required
def programmes(request: HttpRequest, round_: Round) -> HttpResponse:
    """The party's programmes, and one more until the deadline (after submitting too: a
    programme changes no answer)."""
    closed = _programmes_closed(round_)
    form = None if closed else ProgrammeForm(round_=round_)
    if request.method == "POST" and not closed:
        form = ProgrammeForm(request.POST, request.FILES, round_=round_)
        if form.is_valid():
            result = form.import_document()
            _log_upload(request.user, round_, result.document)
            title = result.document.title
            messages.success(
                request,
                ngettext(
                    "“%(title)s” toegevoegd: %(count)s passage.",
                    "“%(title)s” toegevoegd: %(count)s passages.",
                    result.passages,
                )
                % {"title": title, "count": result.passages},
            )
            return redirect("parties:programmes")
    documents = ManifestoDocument.objects.filter(party=round_.party).defer("original_text")
    context = {"round": round_, "form": form, "documents": documents, "closed": closed}
    refused = (form is not None and form.errors) or (closed and request.method == "POST")
    return render(request, "parties/programmes.html", context, status=400 if refused else 200)


def _programmes_closed(round_: Round) -> str:
    """Why no programme can be added any more; empty while one can."""
    if round_.election.is_published:
        return _("De stemhulp is gepubliceerd: er kunnen geen programma's meer bij.")
    if round_.is_past_deadline:
        return _("De uiterste datum is voorbij: er kunnen geen programma's meer bij.")
    return ""


def _log_upload(user, round_: Round, document: ManifestoDocument) -> None:
    """Who added the programme, in the programme's history in the admin."""
    LogEntry.objects.log_actions(
        user.pk,
        [document],
        ADDITION,
        change_message=f"Toegevoegd door de partij, in de partijronde {round_}",
        single_object=True,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the invitation: choose a password, and the account is made and logged in."""
    contact = contact_for(token)
    if contact is None:
        return _invalid_invitation(request, token)
    user = contact.user or _new_user(contact)
    form = SetPasswordForm(user, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            stored = Contact.objects.select_for_update().filter(pk=contact.pk).first()
            if stored is None or stored.token_hash != token_hash(token):
                return _invalid_invitation(request, token)
            form.save()
            stored.user, stored.accepted_at, stored.token_hash = user, timezone.now(), ""
            stored.save(update_fields=["user", "accepted_at", "token_hash"])
        login(request, user, backend=MODEL_BACKEND)
        return redirect("parties:home")
    context = {"contact": contact, "round": contact.round, "username": user.username, "form": form}
    return render(request, "parties/invitation.html", context, status=400 if form.errors else 200)


def _new_user(contact: Contact):
    """An unsaved account for the contact: the e-mail as user name, or with the round's id when
    that name is taken."""
    users = get_user_model()
    email = contact.email.lower()
    candidates = [email[:150], f"{email[:130]}-{contact.round_id}", f"{email[:120]}-c{contact.pk}"]
    taken = {
        name.lower()
        for name in users.objects.filter(username__in=candidates).values_list("username", flat=True)
    }
    username = next((name for name in candidates if name.lower() not in taken), candidates[-1])
    return users(username=username, email=contact.email, is_staff=False)


def _invalid_invitation(request: HttpRequest, token: str) -> HttpResponse:
    expired = bool(token) and len(token) <= 100
    expired = expired and Contact.objects.filter(token_hash=token_hash(token)).exists()
    status = 410 if expired else 404
    return render(request, "parties/invitation_invalid.html", {"expired": expired}, status=status)

"""The party round in the editors' admin: rounds with their contacts (an invitation mail for each
new one), the per-party progress list, and the review page where editors accept or contest each
answer. The rules live in `reviewing.py`, the mails in `mail.py`."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from positions.forms import CheckedIdsAdmin, CheckedInline, IdChoiceField
from positions.history import ReadableHistoryAdmin
from positions.models import Stance, Statement
from positions.workflow import NotAllowed

from . import invitations, mail, reviewing
from .models import Answer, AnswerStatus, Comment, Contact, Mode, Round

# What a party has answered: a position given, or (check mode) agreed or objected.
ANSWERED = Q(answers__position__gt="") | Q(answers__agrees__isnull=False)


class RoundForm(forms.ModelForm):
    """A round names a party of its election, an election still in draft, and a deadline to
    come; its mode is fixed once the party has answered."""

    class Meta:
        model = Round
        fields = ["election", "party", "mode", "deadline", "explanation_limit"]

    def clean(self):
        cleaned = super().clean()
        election, party = cleaned.get("election"), cleaned.get("party")
        if election and election.is_published:
            self.add_error(
                "election",
                _("Deze verkiezing is gepubliceerd: een partijronde kan niets meer veranderen."),
            )
        elif election and party and not election.parties.filter(pk=party.pk).exists():
            self.add_error(
                "party",
                _("%(party)s doet niet mee aan “%(election)s”.")
                % {"party": party.name, "election": election},
            )
        deadline = cleaned.get("deadline")
        if deadline and "deadline" in self.changed_data and deadline <= timezone.now():
            self.add_error("deadline", _("De uiterste datum moet in de toekomst liggen."))
        if self.instance.pk and "mode" in self.changed_data and self.instance.answers.exists():
            self.add_error(
                "mode",
                _("De partij heeft al geantwoord: de werkwijze kan niet meer veranderen."),
            )
        return cleaned


class ContactForm(forms.ModelForm):
    new_link = forms.BooleanField(
        label=_("nieuwe link sturen"),
        required=False,
        help_text=_("Bijv. voor een vergeten wachtwoord: de link stelt een nieuw wachtwoord in."),
    )

    class Meta:
        model = Contact
        fields = ["name", "email"]


class ContactInline(CheckedInline, CheckedIdsAdmin, admin.TabularInline):
    """The people who answer for the party. Saving a new one, a new address, or one with "nieuwe
    link sturen" ticked mails them an invitation link. A new address ends the account made for
    the old one: the person at the new address makes their own."""

    model = Contact
    form = ContactForm
    fields = ["name", "email", "new_link", "invitation"]
    readonly_fields = ["invitation"]
    extra = 1
    most_forms = 10

    @admin.display(description=_("uitnodiging"))
    def invitation(self, obj):
        return invitation_state(obj) if obj.pk else "–"


def invitation_state(contact: Contact) -> str:
    if contact.accepted_at:
        return _("aanvaard")
    if contact.expires_at is None:
        return _("niet verstuurd")
    if contact.expires_at <= timezone.now():
        return _("link verlopen")
    return _("uitgenodigd")


def _count(queryset, field: str) -> Coalesce:
    """How many rows of `queryset` have `field` equal to the outer row's election."""
    rows = queryset.filter(**{field: OuterRef("election")}).order_by().values(field)
    return Coalesce(Subquery(rows.annotate(n=Count("*")).values("n")), 0)


@admin.register(Round)
class RoundAdmin(CheckedIdsAdmin, ReadableHistoryAdmin, SimpleHistoryAdmin):
    form = RoundForm
    fields = ["election", "party", "mode", "deadline", "explanation_limit"]
    inlines = [ContactInline]
    list_display = [
        "party",
        "election",
        "mode",
        "contact_list",
        "progress",
        "submitted_at",
        "accepted",
        "contested",
        "deadline",
        "review_link",
    ]
    list_filter = ["election", "mode"]
    list_select_related = ["party", "election"]
    actions = ["invite_again"]

    def get_queryset(self, request):
        """The counts are for the list only."""
        queryset = super().get_queryset(request)
        if getattr(request.resolver_match, "url_name", None) != "parties_round_changelist":
            return queryset
        return queryset.prefetch_related("contacts").annotate(
            n_answered=Count("answers", filter=ANSWERED, distinct=True),
            n_accepted=Count(
                "answers", filter=Q(answers__status=AnswerStatus.ACCEPTED), distinct=True
            ),
            n_contested=Count(
                "answers", filter=Q(answers__status=AnswerStatus.CONTESTED), distinct=True
            ),
            n_statements=_count(Statement.objects, "election")
            + _count(Statement.shared_with.through.objects, "election"),
        )

    def get_fields(self, request, obj=None):
        return [*self.fields, "review_link"] if obj else self.fields

    def get_readonly_fields(self, request, obj=None):
        return ["election", "party", "review_link"] if obj else []

    @admin.display(description=_("contactpersonen"))
    def contact_list(self, obj):
        shown = [f"{contact} ({invitation_state(contact)})" for contact in obj.contacts.all()]
        return ", ".join(shown) or "–"

    @admin.display(description=_("beantwoord"), ordering="n_answered")
    def progress(self, obj):
        return f"{obj.n_answered} / {obj.n_statements}"

    @admin.display(description=_("aanvaard"), ordering="n_accepted")
    def accepted(self, obj):
        return obj.n_accepted

    @admin.display(description=_("betwist"), ordering="n_contested")
    def contested(self, obj):
        return obj.n_contested

    @admin.display(description=_("antwoorden"))
    def review_link(self, obj):
        url = reverse("admin:parties_round_review", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("beoordelen"))

    def save_formset(self, request, form, formset, change):
        if formset.model is not Contact:
            return super().save_formset(request, form, formset, change)
        formset.save()
        moved = [c for c, fields in formset.changed_objects if "email" in fields]
        for contact in moved:
            if contact.user_id:
                invitations.end_account(contact)
        asked = [
            form.instance
            for form in formset.initial_forms
            if form.cleaned_data.get("new_link") and form not in formset.deleted_forms
        ]
        invited = {c.pk: c for c in [*formset.new_objects, *moved, *asked]}
        self._invite(request, list(invited.values()))

    def _invite(self, request, contacts) -> None:
        sent = []
        for contact in contacts:
            token = invitations.new_token(contact, request.user)
            try:
                mail.send_invitation(contact, token)
            except mail.MAIL_ERRORS as exc:
                self.message_user(
                    request,
                    f"De uitnodiging aan {contact.email} kon niet verstuurd worden ({exc}). "
                    "Probeer het later opnieuw met “Opnieuw uitnodigen”.",
                    messages.ERROR,
                )
            else:
                sent.append(contact.email)
        if sent:
            self.message_user(request, f"Uitnodiging verstuurd aan {', '.join(sent)}.")
            if settings.EMAIL_BACKEND.endswith("console.EmailBackend"):
                self.message_user(
                    request,
                    "Er is geen mailserver ingesteld (EMAIL_HOST): de e-mail staat alleen in het "
                    "log van de server.",
                    messages.WARNING,
                )

    @admin.action(description=_("Opnieuw uitnodigen (nieuwe link)"), permissions=["change"])
    def invite_again(self, request, queryset):
        """A fresh link for every contact who has not yet accepted; the old link stops working.
        (One who accepted gets one by "nieuwe link sturen" on the round's page.)"""
        contacts, skipped = [], []
        rounds = queryset.select_related("party", "election").prefetch_related("contacts")
        for round in rounds:
            if round.is_past_deadline:
                skipped.append(f"{round}: de uiterste datum is voorbij")
                continue
            for contact in round.contacts.all():
                if contact.accepted_at:
                    skipped.append(
                        f"{contact.email} heeft de uitnodiging al aanvaard (voor een vergeten "
                        "wachtwoord: vink “nieuwe link sturen” aan bij de contactpersoon)"
                    )
                else:
                    contacts.append(contact)
        if not contacts and not skipped:
            self.message_user(request, "Geen contactpersonen om uit te nodigen.", messages.WARNING)
        self._invite(request, contacts)
        for reason in skipped:
            self.message_user(request, f"Geen nieuwe link: {reason}.", messages.WARNING)

    def get_urls(self):
        return [
            path(
                "<path:object_id>/review/",
                self.admin_site.admin_view(self.review_view),
                name="parties_round_review",
            ),
            *super().get_urls(),
        ]

    def review_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Per statement the party's answer beside the editors' stance, what differs, the thread,
        and on a submitted answer the buttons to accept or contest it."""
        round = self.get_object(request, object_id)
        if round is None:
            raise Http404("Deze partijronde bestaat niet.")
        if not self.has_view_permission(request, round):
            raise PermissionDenied
        may_review = request.user.has_perm("parties.review_answer")
        form, status = None, 200
        if request.method == "POST":
            if not may_review:
                raise PermissionDenied
            form = DecisionForm(round, request.POST)
            if form.is_valid():
                answer = form.cleaned_data["answer"]
                try:
                    _decide(request.user, answer, form.cleaned_data)
                except NotAllowed as exc:
                    form.add_error(None, str(exc))
                else:
                    done = "aanvaard" if form.cleaned_data["action"] == "accept" else "betwist"
                    self.message_user(request, f"{answer.statement}: {done}.")
                    return HttpResponseRedirect(f"{request.get_full_path()}#antwoord-{answer.pk}")
            status = 400
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Antwoorden beoordelen: {round}",
            "round": round,
            **_shown_rows(review_rows(round), request.GET.get("status", "")),
            "form": form,
            "failed": form.data.get("answer") if form is not None else None,
            "may_review": may_review and not round.election.is_published,
        }
        return render(request, "admin/parties/round/review.html", context, status=status)


def _decide(editor, answer: Answer, data: dict) -> None:
    if data["action"] == "accept":
        reviewing.accept(answer, editor)
    else:
        reviewing.contest(answer, editor, data["comment"])


class DecisionForm(forms.Form):
    answer = IdChoiceField(queryset=Answer.objects.none(), widget=forms.HiddenInput)
    action = forms.ChoiceField(choices=[("accept", _("Aanvaarden")), ("contest", _("Betwisten"))])
    comment = forms.CharField(
        label=_("opmerking voor de partij"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, round: Round, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["answer"].queryset = round.answers.all()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == "contest" and not cleaned.get("comment", "").strip():
            self.add_error("comment", _("Geef een opmerking mee: wat moet de partij nog bekijken?"))
        return cleaned


FIELD_LABELS = {
    "position": _("standpunt"),
    "explanation": _("toelichting"),
    "document": _("bron"),
    "quote": _("citaat"),
}


def _effect(round: Round, answer: Answer, stance, proposed: dict) -> str:
    """What pressing "Aanvaarden" does, in words."""
    if answer.answers_an_old_version(stance):
        return (
            "Aanvaarden kan niet: de stelling of de codering veranderde nadat de partij "
            "antwoordde. Betwist het antwoord, zodat de partij opnieuw kijkt."
        )
    if proposed:
        fields = ", ".join(
            str(FIELD_LABELS[name]) for name in reviewing.CONTENT if name in proposed
        )
        return (
            f"Aanvaarden schrijft {fields} in het standpunt (“door de partij gegeven”); "
            "een eindredacteur keurt het daarna goed."
        )
    if round.mode == Mode.CHECK and answer.agrees:
        return "Aanvaarden markeert het standpunt als “door de partij bevestigd”."
    return "Aanvaarden stuurt het standpunt terug naar de redactie, met het bezwaar als opmerking."


def review_rows(round: Round) -> list[dict]:
    """One row per statement of the round: the answer, the stance, and what differs."""
    statements = list(round.statements().select_related("theme"))
    comments = Prefetch("comments", queryset=Comment.objects.select_related("author"))
    answers = {
        a.statement_id: a
        for a in round.answers.select_related("document", "decided_by").prefetch_related(comments)
    }
    stances = {
        s.statement_id: s
        for s in Stance.objects.filter(
            party=round.party_id, statement__in=[s.pk for s in statements]
        ).select_related("document")
    }
    rows = []
    for statement in statements:
        answer, stance = answers.get(statement.pk), stances.get(statement.pk)
        if answer:
            answer.statement = statement
        proposed = reviewing.proposal(round.mode, answer) if answer else {}
        differs = reviewing.differences(proposed, stance)
        rows.append(
            {
                "statement": statement,
                "answer": answer,
                "stance": stance,
                "differs": differs,
                "differs_labels": [str(FIELD_LABELS[name]) for name in differs],
                "effect": _effect(round, answer, stance, proposed) if answer else "",
                "decidable": answer is not None and answer.status == AnswerStatus.SUBMITTED,
            }
        )
    return rows


def _shown_rows(rows: list[dict], status: str) -> dict:
    """The rows with answers of one status (all rows for an unknown one), and the choices with
    their counts: with thirty statements, the submitted ones are the editors' work list."""
    counts = {value: 0 for value in AnswerStatus.values}
    for row in rows:
        if row["answer"]:
            counts[row["answer"].status] += 1
    choices = [("", _("alle"), len(rows))]
    choices += [(value, label, counts[value]) for value, label in AnswerStatus.choices]
    if status in counts:
        rows = [row for row in rows if row["answer"] and row["answer"].status == status]
    else:
        status = ""
    return {"rows": rows, "status": status, "status_choices": choices}


@admin.register(Answer)
class AnswerAdmin(ReadableHistoryAdmin, SimpleHistoryAdmin):
    """The parties' answers, to read and for their history; decisions are taken on the round's
    review page."""

    list_display = ["statement", "party", "status", "updated_at", "decided_by"]
    list_filter = ["round__election", "round__party", "status"]
    list_select_related = ["statement", "round__party", "decided_by"]

    @admin.display(description=_("partij"), ordering="round__party")
    def party(self, obj):
        return obj.round.party

    def history_view_title(self, request, obj):
        return f"Geschiedenis: {obj}"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

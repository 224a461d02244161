"""The editorial roles as groups with permissions. `sync_roles` is idempotent: the data migration
and `manage.py createeditor` both call it, so a permission added later reaches existing groups.
"""

from django.db.models import Q

REDACTEUR = "Redacteur"
EINDREDACTEUR = "Eindredacteur"
BEHEERDER = "Beheerder"

_EDITOR = {
    "positions": [
        "view_election",
        "preview_election",
        "view_party",
        "view_theme",
        "add_theme",
        "view_themetranslation",
        "add_themetranslation",
        "change_themetranslation",
        "view_statementtranslation",
        "add_statementtranslation",
        "change_statementtranslation",
        "delete_statementtranslation",
        "view_statement",
        "add_statement",
        "change_statement",
        "delete_statement",
        "view_stance",
        "add_stance",
        "change_stance",
        "delete_stance",
        "view_stancetranslation",
        "add_stancetranslation",
        "change_stancetranslation",
        "delete_stancetranslation",
        "view_electiontranslation",
        "view_manifestodocument",
        "add_manifestodocument",
        "change_manifestodocument",
        "view_passage",
        "view_electionversion",
        "view_ballotday",
        "view_ballotdaytranslation",
    ],
    # The party round (parties/): rounds and their contacts, the parties' answers and threads,
    # and accepting or contesting an answer.
    "parties": [
        "view_round",
        "add_round",
        "change_round",
        "view_contact",
        "add_contact",
        "change_contact",
        "view_answer",
        "view_comment",
        "review_answer",
    ],
}
_REVIEWER_EXTRA = [
    "approve_stance",
    "publish_election",
    "correct_published",
    "add_ballotday",
    "change_ballotday",
    "add_ballotdaytranslation",
    "change_ballotdaytranslation",
    "delete_ballotdaytranslation",
]
# Every role sees the statistics tables; only Beheerder the microdata (stats/migrations/0003).
_STATISTICS = ["view_electionstatistics"]

# Beheerder gets every permission of these apps (staff: ending editors' sessions; axes: clearing
# login lock-outs; parties: the party round), and the statistics with the microdata.
_ADMIN_APPS = ("positions", "auth", "staff", "axes", "parties")
_ADMIN_STATISTICS = [*_STATISTICS, "view_microdata"]

ROLES = (REDACTEUR, EINDREDACTEUR, BEHEERDER)


def _permissions_for(role, Permission):
    if role == BEHEERDER:
        return Permission.objects.filter(
            Q(content_type__app_label__in=_ADMIN_APPS)
            | Q(content_type__app_label="stats", codename__in=_ADMIN_STATISTICS)
        )
    codenames = {app: list(names) for app, names in _EDITOR.items()}
    if role == EINDREDACTEUR:
        codenames["positions"] += _REVIEWER_EXTRA
    granted = Q(content_type__app_label="stats", codename__in=_STATISTICS)
    for app, names in codenames.items():
        granted |= Q(content_type__app_label=app, codename__in=names)
    return Permission.objects.filter(granted)


def sync_roles(apps=None) -> None:
    """Create the three groups and give each exactly its permissions."""
    if apps is None:
        from django.apps import apps
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role in ROLES:
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.set(_permissions_for(role, Permission))

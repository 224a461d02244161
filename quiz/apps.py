from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuizConfig(AppConfig):
    name = "quiz"
    verbose_name = _("Stemhulp")

    def ready(self):
        import stemhulp.checks  # noqa: F401  (registers the deployment checks)

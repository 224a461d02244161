from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.validators import MaxLengthValidator


class BoundedUsername:
    """Django sets the user name's max_length without its validator, so an overlong name would
    reach authentication, and django-axes would fail to store it (varchar(255) on PostgreSQL):
    a server error instead of a form error."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(field.max_length))


class StaffLoginForm(BoundedUsername, AdminAuthenticationForm):
    """The admin's login form."""

"""French labels for French staff where the installed packages leave English.

Wagtail's login form redefines the password field without a label, so Django shows the field's
name ("Password"); wagtail-modeltranslation's language picker says "View / edit fields for" and its
package has no French for it. The msgids are ours, so our catalogue gives the French.
"""

from django.utils.translation import gettext_lazy, gettext_noop

from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm

# Strings of installed packages translated by our catalogue; listed here so makemessages keeps them.
PACKAGE_STRINGS = [gettext_noop("View / edit fields for")]


class LoginForm(WagtailLoginForm):
    """Wagtail's login form, its password field labelled in the admin's language."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = gettext_lazy("Password")

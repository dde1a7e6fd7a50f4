from django import forms
from django.utils.translation import gettext_lazy as _


class TokenForm(forms.Form):
    """The six-digit code an authenticator app shows."""

    token = forms.CharField(
        label=_("Verification code"),
        min_length=6,
        max_length=8,
        strip=True,
        widget=forms.TextInput(
            attrs={"class": "form-control yiti-otp-input", "inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True, "pattern": "[0-9 ]*"}
        ),
        error_messages={
            "required": _("Enter the six-digit code your authenticator app shows."),
            "min_length": _("Enter the six-digit code your authenticator app shows."),
            "max_length": _("Enter the six-digit code your authenticator app shows."),
        },
    )

    def clean_token(self) -> str:
        token = self.cleaned_data["token"].replace(" ", "")
        if not token.isdigit():
            raise forms.ValidationError(_("The code consists of digits only."), code="invalid")
        return token

"""allauth's account and two-step sign-in forms, in the council's words.

allauth's own forms use placeholders for labels, Title Case and messages such as "Incorrect
code."; GOV.UK's guidance is a real label, a hint where it helps, and an error message that says
what went wrong with which field and how to fix it. The forms keep allauth's behaviour (they
subclass allauth's) and change only the words and the input attributes. `ACCOUNT_FORMS` and
`MFA_FORMS` in the settings name them.
"""

from allauth.account import forms as account
from allauth.mfa.base import forms as mfa_base
from allauth.mfa.recovery_codes import forms as mfa_recovery_codes
from allauth.mfa.totp import forms as mfa_totp
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError

ENTER_EMAIL = "Enter your email address"
EMAIL_FORMAT = "Enter an email address in the correct format, like name@example.com"
ENTER_CODE = "Enter the 6-digit code from your authenticator app"
PASSWORDS_DIFFER = "The passwords do not match: enter the same password twice"
TOO_MANY_SIGN_INS = "You have tried to sign in too many times. Wait 5 minutes, then try again"

# allauth adds some errors without a code: they are matched by allauth's English message.
ALLAUTH_PASSWORDS_DIFFER = "You must type the same password each time."

PASSWORD_RULES = {
    "password_too_short": "Your password must be at least %(min_length)d characters",
    "password_too_common": (
        "Choose a password that is harder to guess: this one is on a list of common passwords"
    ),
    "password_entirely_numeric": "Your password must include a letter or a symbol",
    "password_too_similar": "Choose a password that is not like your email address",
}


def minimum_password_length():
    """The shortest password the site's validators accept (AUTH_PASSWORD_VALIDATORS)."""
    lengths = [
        validator.min_length
        for validator in password_validation.get_default_password_validators()
        if isinstance(validator, password_validation.MinimumLengthValidator)
    ]
    return max(lengths, default=8)


def new_password_hint():
    return (
        f"Use at least {minimum_password_length()} characters. Three random words together "
        "make a strong password that is easy to remember."
    )


class CouncilWording:
    """Relabel a form's fields and reword its errors, keeping its validation.

    `labels` and `hints` are per field; `messages` maps an error code (or, for errors allauth
    raises without one, its English message) to the council's wording, for any field;
    `field_messages` does the same for one field only. `input_attrs` are extra attributes
    for a field's input (autocomplete, inputmode, width).
    """

    labels = {}
    hints = {}
    input_attrs = {}
    messages = {}
    field_messages = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.widget.attrs.pop("placeholder", None)
            if name in self.labels:
                field.label = self.labels[name]
            if name in self.hints:
                hint = self.hints[name]
                field.help_text = hint() if callable(hint) else hint
            field.widget.attrs.update(self.input_attrs.get(name, {}))

    def full_clean(self):
        super().full_clean()
        for name, errors in (self._errors or {}).items():
            for index, error in enumerate(errors.as_data()):
                message = self._council_message(name, error)
                if message is not None:
                    errors.data[index] = ValidationError(message, code=error.code)

    def _council_message(self, name, error):
        wording = {**self.messages, **self.field_messages.get(name, {})}
        message = wording.get(error.code) or wording.get(str(error.message))
        if message and error.params:
            message = message % error.params
        return message


EMAIL_ATTRS = {"autocomplete": "email", "spellcheck": "false"}
CODE_ATTRS = {
    "autocomplete": "one-time-code",
    "inputmode": "numeric",
    "spellcheck": "false",
    "class": "govuk-input--width-10",
}


class LoginForm(CouncilWording, account.LoginForm):
    labels = {"login": "Email address", "password": "Password", "remember": "Keep me signed in"}
    hints = {"password": "", "remember": "Do not tick this on a shared or public computer."}
    input_attrs = {"login": EMAIL_ATTRS, "password": {"autocomplete": "current-password"}}
    messages = {
        "email_password_mismatch": "The email address and password do not match",
        "too_many_login_attempts": TOO_MANY_SIGN_INS,
        "account_inactive": "This account is not active",
    }
    field_messages = {
        "login": {"required": ENTER_EMAIL, "invalid": EMAIL_FORMAT},
        "password": {"required": "Enter your password"},
    }


class SignupForm(CouncilWording, account.SignupForm):
    labels = {
        "email": "Email address",
        "password1": "Create a password",
        "password2": "Confirm your password",
    }
    hints = {
        "email": "We will send you an email to check it is yours.",
        "password1": new_password_hint,
        "password2": "",
    }
    input_attrs = {"email": EMAIL_ATTRS}
    messages = {**PASSWORD_RULES, ALLAUTH_PASSWORDS_DIFFER: PASSWORDS_DIFFER}
    field_messages = {
        "email": {"required": ENTER_EMAIL, "invalid": EMAIL_FORMAT},
        "password1": {"required": "Create a password"},
        "password2": {"required": "Enter your password again to confirm it"},
    }


class ResetPasswordForm(CouncilWording, account.ResetPasswordForm):
    labels = {"email": "Email address"}
    input_attrs = {"email": EMAIL_ATTRS}
    field_messages = {"email": {"required": ENTER_EMAIL, "invalid": EMAIL_FORMAT}}


class ResetPasswordKeyForm(CouncilWording, account.ResetPasswordKeyForm):
    labels = {"password1": "New password", "password2": "Confirm your new password"}
    hints = {"password1": new_password_hint, "password2": ""}
    messages = {**PASSWORD_RULES, ALLAUTH_PASSWORDS_DIFFER: PASSWORDS_DIFFER}
    field_messages = {
        "password1": {"required": "Enter a new password"},
        "password2": {"required": "Enter your new password again to confirm it"},
    }


class ChangePasswordForm(CouncilWording, account.ChangePasswordForm):
    labels = {
        "oldpassword": "Current password",
        "password1": "New password",
        "password2": "Confirm your new password",
    }
    hints = {"oldpassword": "", "password1": new_password_hint, "password2": ""}
    messages = {**PASSWORD_RULES, ALLAUTH_PASSWORDS_DIFFER: PASSWORDS_DIFFER}
    field_messages = {
        "oldpassword": {
            "required": "Enter your current password",
            "enter_current_password": "Your current password is not correct",
        },
        "password1": {"required": "Enter a new password"},
        "password2": {"required": "Enter your new password again to confirm it"},
    }


class SetPasswordForm(CouncilWording, account.SetPasswordForm):
    labels = {"password1": "Create a password", "password2": "Confirm your password"}
    hints = {"password1": new_password_hint, "password2": ""}
    messages = {**PASSWORD_RULES, ALLAUTH_PASSWORDS_DIFFER: PASSWORDS_DIFFER}
    field_messages = {
        "password1": {"required": "Create a password"},
        "password2": {"required": "Enter your password again to confirm it"},
    }


class AddEmailForm(CouncilWording, account.AddEmailForm):
    labels = {"email": "Email address"}
    input_attrs = {"email": EMAIL_ATTRS}
    messages = {
        "duplicate_email": "That email address is already on your account",
        "email_taken": "That email address belongs to another account",
    }
    field_messages = {"email": {"required": ENTER_EMAIL, "invalid": EMAIL_FORMAT}}


class ChangeEmailForm(CouncilWording, account.ChangeEmailForm):
    labels = {"email": "New email address"}
    input_attrs = {"email": EMAIL_ATTRS}
    messages = {"same_as_current": "Enter an email address that is different from your current one"}
    field_messages = {"email": {"required": ENTER_EMAIL, "invalid": EMAIL_FORMAT}}


class ReauthenticateForm(CouncilWording, account.ReauthenticateForm):
    labels = {"password": "Password"}
    hints = {"password": ""}
    input_attrs = {"password": {"autocomplete": "current-password"}}
    field_messages = {
        "password": {
            "required": "Enter your password",
            "incorrect_password": "The password is not correct",
        }
    }


class RequestLoginCodeForm(CouncilWording, account.RequestLoginCodeForm):
    labels = {"email": "Email address"}
    input_attrs = {"email": EMAIL_ATTRS}
    messages = {"too_many_login_attempts": TOO_MANY_SIGN_INS}
    field_messages = {"email": {"required": ENTER_EMAIL, "invalid": EMAIL_FORMAT}}


class ConfirmLoginCodeForm(CouncilWording, account.ConfirmLoginCodeForm):
    labels = {"code": "Code from the email"}
    input_attrs = {"code": {**CODE_ATTRS, "inputmode": "text"}}
    field_messages = {
        "code": {
            "required": "Enter the code from the email we sent you",
            "incorrect_code": "The code is not correct: enter the code from the latest email",
        }
    }


class SignInCodeWording(CouncilWording):
    """The code step of two-step sign-in (and of confirming it's you): the authenticator app's
    6-digit code, or one of the 8-digit recovery codes."""

    labels = {"code": "Code from your authenticator app"}
    hints = {
        "code": "It is 6 digits long. If you cannot use your app, enter one of your recovery "
        "codes instead."
    }
    input_attrs = {"code": CODE_ATTRS}
    messages = {"too_many_login_attempts": TOO_MANY_SIGN_INS}
    field_messages = {
        "code": {
            "required": ENTER_CODE,
            "incorrect_code": (
                "The code is not correct or has already been used. Enter the code your "
                "authenticator app shows now"
            ),
        }
    }


class AuthenticateForm(SignInCodeWording, mfa_base.AuthenticateForm):
    pass


class MFAReauthenticateForm(SignInCodeWording, mfa_base.ReauthenticateForm):
    pass


class ActivateTOTPForm(CouncilWording, mfa_totp.ActivateTOTPForm):
    labels = {"code": "Code from your authenticator app"}
    hints = {"code": "The 6-digit code the app shows now."}
    input_attrs = {"code": CODE_ATTRS}
    field_messages = {
        "code": {
            "required": ENTER_CODE,
            "incorrect_code": (
                "The code does not match. Enter the 6-digit code your authenticator app shows now"
            ),
            "rate_limited": "You have entered too many codes. Wait 5 minutes, then try again",
            "unverified_email": ("Confirm your email address before you set up two-step sign-in"),
        }
    }


class DeactivateTOTPForm(CouncilWording, mfa_totp.DeactivateTOTPForm):
    messages = {"cannot_delete_authenticator": "You cannot turn off two-step sign-in"}


class GenerateRecoveryCodesForm(CouncilWording, mfa_recovery_codes.GenerateRecoveryCodesForm):
    messages = {
        "cannot_generate_recovery_codes": (
            "Set up two-step sign-in with an authenticator app before you make recovery codes"
        )
    }

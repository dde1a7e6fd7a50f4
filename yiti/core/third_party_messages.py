"""Messages of django-auditlog and django-filter that appear in our pages.

Those packages have no zh_Hans catalogue; listing the msgids here lets `make messages` keep their
Chinese translations in our catalogue (LOCALE_PATHS wins over the packages' own).
"""

from django.utils.translation import gettext_noop, ngettext_lazy

THIRD_PARTY_MESSAGES = [
    gettext_noop("create"),
    gettext_noop("update"),
    gettext_noop("delete"),
    gettext_noop("access"),
    gettext_noop("Created {repr:s}"),
    gettext_noop("Updated {repr:s}"),
    gettext_noop("Deleted {repr:s}"),
    gettext_noop("Logged {repr:s}"),
    gettext_noop("No field changes"),
    gettext_noop("Field"),
    gettext_noop("From"),
    gettext_noop("To"),
    gettext_noop("Relationship"),
    gettext_noop("Audit log"),
    gettext_noop("Audit log: %s"),
    gettext_noop("No log entries found."),
    gettext_noop("Resource Type"),
    gettext_noop("Resource"),
    gettext_noop("Correlation ID"),
    gettext_noop("Click to filter by records with this correlation id"),
    gettext_noop("Created"),
    gettext_noop("object pk"),
    gettext_noop("object representation"),
    gettext_noop("action"),
    gettext_noop("actor"),
    gettext_noop("remote address"),
    gettext_noop("remote port"),
    gettext_noop("timestamp"),
    gettext_noop("additional data"),
    gettext_noop("actor email"),
    gettext_noop("Yesterday"),
    gettext_noop("Multiple values may be separated by commas."),
    gettext_noop("Range query expects two values."),
    gettext_noop("Select a lookup."),
    gettext_noop("%s (descending)"),
    gettext_noop("Ordering"),
    gettext_noop("Submit"),
    gettext_noop("Field filters"),
    gettext_noop("exclude"),
    gettext_noop("month"),
    gettext_noop("day"),
    gettext_noop("week day"),
    gettext_noop("hour"),
    gettext_noop("minute"),
    gettext_noop("second"),
    gettext_noop("contains"),
    gettext_noop("is in"),
    gettext_noop("is greater than"),
    gettext_noop("is greater than or equal to"),
    gettext_noop("is less than"),
    gettext_noop("is less than or equal to"),
    gettext_noop("starts with"),
    gettext_noop("ends with"),
    gettext_noop("is in range"),
    gettext_noop("is null"),
    gettext_noop("matches regex"),
    gettext_noop("search"),
    gettext_noop("is contained by"),
    gettext_noop("overlaps"),
    gettext_noop("has key"),
    gettext_noop("has keys"),
    gettext_noop("has any keys"),
]

# Django 5.2.x changed the minimum-length validator's message (%(min_length)d became %d) and its own
# zh_Hans catalogue has not caught up, so "too short" reached users in English (issue 12, item 32).
# A password rule's every message must be Chinese: yiti/security/tests/test_password_messages.py.
DJANGO_MESSAGES = [
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
    ),
]

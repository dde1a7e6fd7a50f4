"""Signals core sends so that the apps above it can act without core importing them (layers point down)."""

from django.dispatch import Signal

# Something an auditor must be able to see happened on a request: a page or record refused
# ("access_denied"), a forged or expired form ("csrf_failed"). Sent with event, request, user and detail;
# the security app records it as an authentication event (yiti.security.receivers).
security_event = Signal()

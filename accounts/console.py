"""E-mail printed to the console: the embedded default when no SMTP server is set (EMAIL_HOST)."""

from django.conf import settings
from django.core.mail.backends.console import EmailBackend as DjangoConsoleBackend


class ConsoleEmailBackend(DjangoConsoleBackend):
    """Django's console backend, which writes the whole message only with DEBUG=1.

    `make run` (DEBUG=1) prints every e-mail, so that the demo's verification
    links can be followed from the terminal. Otherwise an e-mail may hold a
    password link or a sign-in code, and logs are read by more people than
    the person it is for: only the recipients and the subject are written.
    """

    def write_message(self, message):
        if settings.DEBUG:
            super().write_message(message)
            return
        recipients = ", ".join(message.recipients())
        self.stream.write(f"E-mail to {recipients}: {message.subject} (the text is printed only with DEBUG=1)\n")

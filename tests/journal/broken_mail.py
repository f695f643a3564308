"""An e-mail backend whose relay always refuses, to exercise failure handling."""

from django.core.mail.backends.base import BaseEmailBackend


class BrokenBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise ConnectionRefusedError("relay refused the connection")

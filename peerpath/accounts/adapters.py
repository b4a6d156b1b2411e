from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest


class ClosedSignupAdapter(DefaultAccountAdapter):
    """Staff accounts are created by an organisation's admin, never by self sign-up."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

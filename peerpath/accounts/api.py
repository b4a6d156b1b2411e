from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Status
from pydantic import ConfigDict, Field

from peerpath.accounts import sign_in
from peerpath.core.api_support import ErrorOut
from peerpath.core.api_types import Schema

router = Router(tags=["accounts"])


class TokenIn(Schema):
    model_config = ConfigDict(extra="forbid")
    username: str = Field(min_length=1, max_length=150)
    password: str = Field(min_length=1, max_length=200)
    otp_code: str = Field(default="", max_length=10)
    name: str = Field(default="API", min_length=1, max_length=100)


class TokenOut(Schema):
    token: str
    name: str
    expires_at: str


class MeOut(Schema):
    id: int
    username: str
    display_name: str
    role: str
    organisation: str
    language: str


@router.post("/auth/token", auth=None, response={201: TokenOut, 400: ErrorOut, 422: ErrorOut, 429: ErrorOut})
def token_obtain(request: HttpRequest, payload: TokenIn) -> Status:
    """Exchange username + password (+ authenticator code if set up) for a bearer token.

    Counts towards the same lockout as the sign-in page: 429 once the username (or address) is locked."""
    try:
        token, secret = sign_in.api_token_from_credentials(
            request=request, username=payload.username, password=payload.password, otp_code=payload.otp_code,
            name=payload.name,
        )
    except sign_in.SignInLocked as exc:
        return Status(429, {"detail": exc.reason, "errors": [{"field": exc.field or "password", "reason": exc.reason}]})
    return Status(201, {"token": secret, "name": token.name, "expires_at": token.expires_at.isoformat() if token.expires_at else ""})


@router.get("/me", response={200: MeOut, 401: ErrorOut})
def me(request: HttpRequest) -> dict[str, object]:
    user = request.auth  # type: ignore[attr-defined]
    return {
        "id": user.pk, "username": user.username, "display_name": user.display_name, "role": user.role,
        "organisation": user.organisation.name if user.organisation else "", "language": user.language,
    }

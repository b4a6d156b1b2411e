"""The FHIR REST views: ``metadata``, read and search. Thin adapters: authentication (``auth``), the scoped rows
(``resources`` → ``policies``), the mappers, and an audit event for every read and search."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.views.decorators.csrf import csrf_exempt

from peerpath.core.audit import audit_record
from peerpath.core.choices import AuditAction
from peerpath.interop.fhir import bundle as bundle_import
from peerpath.interop.fhir import part2, policies, search, smart
from peerpath.interop.fhir.auth import SAFE_METHODS, NeedsSignIn, authenticate, scopes_allow
from peerpath.interop.fhir.capability import capability_statement
from peerpath.interop.fhir.context import MapContext
from peerpath.interop.fhir.errors import FhirError
from peerpath.interop.fhir.resources import SPECS, ResourceSpec
from peerpath.interop.fhir.responses import error_response, fhir_response

View = Callable[..., HttpResponse]


def base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/fhir/r4").rstrip("/")


def _csrf_refused(request: HttpRequest) -> bool:
    """A signed-in browser session writing must pass Django's CSRF check; bearer tokens are not cookies."""
    check = CsrfViewMiddleware(lambda r: HttpResponse())
    return check.process_view(request, lambda r: HttpResponse(), (), {}) is not None


def fhir_endpoint(view: View) -> View:
    """Authenticate, then turn ``FhirError`` and 404 into OperationOutcome answers."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            actor = authenticate(request)
            if getattr(request, "fhir_auth", "") == "session" and request.method not in SAFE_METHODS and _csrf_refused(request):
                raise FhirError(403, "forbidden", "CSRF check failed; FHIR clients send a bearer token.")
            return view(request, actor, *args, **kwargs)
        except NeedsSignIn:
            return redirect_to_login(request.get_full_path())
        except FhirError as error:
            return error_response(error)
        except Http404:
            return error_response(FhirError(404, "not-found", "No such resource."))

    endpoint = csrf_exempt(wrapped)
    endpoint.peerpath_access = "fhir"  # type: ignore[attr-defined]  # deny-by-default: checked in auth + policies
    return endpoint


def public_endpoint(view: View) -> View:
    endpoint = csrf_exempt(view)
    endpoint.peerpath_access = "public"  # type: ignore[attr-defined]
    return endpoint


def _spec_for(request: HttpRequest, actor: Any, resource_type: str) -> ResourceSpec:
    spec = SPECS.get(resource_type)
    if spec is None:
        raise FhirError(404, "not-supported", f"Resource type {resource_type} is not supported.")
    if not policies.may_read_type(actor, resource_type) or not scopes_allow(request, resource_type, "read"):
        raise FhirError(403, "forbidden", f"Your role may not read {resource_type} resources.")
    return spec


@public_endpoint
def metadata(request: HttpRequest) -> HttpResponse:
    return fhir_response(capability_statement(base_url(request)))


@fhir_endpoint
def read(request: HttpRequest, actor: Any, resource_type: str, resource_id: str) -> HttpResponse:
    spec = _spec_for(request, actor, resource_type)
    if not resource_id.isdigit():
        raise Http404
    obj = spec.rows(actor).filter(pk=int(resource_id)).first()
    if obj is None:
        raise Http404
    ctx = MapContext.for_actor(actor, base_url(request))
    resource = part2.label(spec.render(obj, ctx), spec.client_of(obj), ctx.part2_ids)
    audit_record(actor=actor, action=AuditAction.VIEW, target=spec.audit_target(obj), client=spec.client_of(obj),
                 detail={"fhir": resource_type, "id": resource["id"]})
    return fhir_response(resource, headers={"Last-Modified": resource["meta"]["lastUpdated"]})


@fhir_endpoint
def search_type(request: HttpRequest, actor: Any, resource_type: str) -> HttpResponse:
    spec = _spec_for(request, actor, resource_type)
    params = {key: request.GET.getlist(key) for key in request.GET}
    if request.method == "POST":
        params.update({key: request.POST.getlist(key) for key in request.POST})
    count, offset = search.page_size(params)
    rows, applied = search.apply(spec, spec.rows(actor), params, actor.organisation.slug)
    rows = rows.order_by("pk")
    total = rows.count()
    page = list(rows[offset:offset + count]) if count else []
    ctx = MapContext.for_actor(actor, base_url(request))
    resources = [part2.label(spec.render(obj, ctx), spec.client_of(obj), ctx.part2_ids) for obj in page]
    audit_record(actor=actor, action=AuditAction.LIST, target_type=f"fhir.{resource_type.lower()}",
                 detail={"fhir": resource_type, "ids": [r["id"] for r in resources]})
    seen: set[int] = set()
    for obj in page:
        client = spec.client_of(obj)
        if client is not None and client.pk not in seen:
            seen.add(client.pk)
            audit_record(actor=actor, action=AuditAction.VIEW, target=client, client=client,
                         detail={"fhir": resource_type, "search": True})
    return fhir_response(search.bundle(spec=spec, base_url=base_url(request), resources=resources, total=total,
                                       count=count, offset=offset, applied=applied))


@fhir_endpoint
def transaction_or_batch(request: HttpRequest, actor: Any) -> HttpResponse:
    """``POST [base]`` with a transaction or batch Bundle (see ``bundle``)."""
    if request.method != "POST":
        raise FhirError(405, "not-supported", "POST a transaction or batch Bundle here.")
    if actor.role not in bundle_import.IMPORT_ROLES:
        raise FhirError(403, "forbidden", "Your role may not send data to Peerpath.")
    if request.content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
        # A form post is no Bundle (and its stream may already be parsed as a form).
        raise FhirError(415, "not-supported", "Send the Bundle as application/fhir+json.", expression=["Bundle"])
    try:
        body = json.loads(request.body or b"")
    except (ValueError, UnicodeDecodeError) as exc:
        raise FhirError(400, "structure", "The body is not JSON.", expression=["Bundle"]) from exc
    if not isinstance(body, dict):
        raise FhirError(400, "structure", "The body is not a Bundle.", expression=["Bundle"])
    types = {(e.get("resource") or {}).get("resourceType", "") for e in body.get("entry") or [] if isinstance(e, dict)}
    refused = sorted(t for t in types if not scopes_allow(request, t, "write"))
    if refused:
        raise FhirError(403, "forbidden", f"The token's scopes do not allow writing {', '.join(refused)}.")
    status, answer = bundle_import.import_bundle(actor=actor, bundle=body)
    return fhir_response(answer, status=status)


@public_endpoint
def token(request: HttpRequest) -> HttpResponse:
    """``POST /fhir/r4/auth/token``: SMART Backend Services client-credentials grant."""
    if request.method != "POST":
        return JsonResponse({"error": "invalid_request", "error_description": "POST the token request."}, status=405)
    try:
        answer = smart.issue_token(form=request.POST, token_url=base_url(request) + "/auth/token")
    except smart.OAuthError as error:
        response = JsonResponse({"error": error.error, "error_description": error.description}, status=error.status)
    else:
        response = JsonResponse(answer)
    response["Cache-Control"] = "no-store"
    return response


@public_endpoint
def smart_configuration(request: HttpRequest) -> HttpResponse:
    return JsonResponse({
        "token_endpoint": base_url(request) + "/auth/token",
        "token_endpoint_auth_methods_supported": ["private_key_jwt"],
        "token_endpoint_auth_signing_alg_values_supported": smart.ALGORITHMS,
        "grant_types_supported": ["client_credentials"],
        "scopes_supported": ["system/*.read", "system/*.write", "system/Patient.read"],
        "capabilities": ["client-confidential-asymmetric"],
    })

"""Does the page give the same result as the API for the same request?

``assert_page_and_api_agree`` runs a page request and an API request from the same starting
state (each inside a rolled-back transaction), reduces each answer to what a person sees —
done, refused with these reasons, or denied — and counts the rows of the given models each
call left behind. Both must match::

    assert_page_and_api_agree(
        page=lambda: login(peer).post(url, form_data),
        api=lambda: api_client(peer).post(api_url, json.dumps(body), content_type="application/json"),
        models=[Goal, RecoveryPlan],
    )
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.messages import get_messages
from django.db import transaction
from django.forms import BaseForm


@dataclass(frozen=True)
class Outcome:
    result: str  # "done", "refused" or "denied"
    reasons: tuple[str, ...] = ()
    written: tuple[tuple[str, int], ...] = ()


def _page_reasons(response: Any) -> tuple[str, ...]:
    reasons: list[str] = []
    for context in response.context or []:
        for value in context.flatten().values() if hasattr(context, "flatten") else []:
            if isinstance(value, BaseForm) and value.is_bound and value.errors:
                reasons += [str(message) for errors in value.errors.values() for message in errors]
    if response.wsgi_request is not None:
        reasons += [str(m) for m in get_messages(response.wsgi_request) if "error" in m.tags]
    return tuple(sorted(set(reasons)))


def page_outcome(response: Any) -> tuple[str, tuple[str, ...]]:
    if response.status_code in (403, 404):
        return "denied", ()
    reasons = _page_reasons(response)
    if response.status_code >= 400 or reasons:
        return "refused", reasons
    return "done", ()


def api_outcome(response: Any) -> tuple[str, tuple[str, ...]]:
    if response.status_code in (403, 404):
        return "denied", ()
    if response.status_code >= 400:
        body = response.json()
        return "refused", tuple(sorted({str(e["reason"]) for e in body.get("errors", [])} or {str(body["detail"])}))
    return "done", ()


def _run(call: Callable[[], Any], judge: Callable[[Any], tuple[str, tuple[str, ...]]],
         models: Iterable[Any]) -> Outcome:
    models = list(models)
    with transaction.atomic():
        before = {m.__name__: m.objects.count() for m in models}
        result, reasons = judge(call())
        written = tuple((m.__name__, m.objects.count() - before[m.__name__]) for m in models)
        transaction.set_rollback(True)
    return Outcome(result, reasons, written)


def assert_page_and_api_agree(*, page: Callable[[], Any], api: Callable[[], Any], models: Iterable[Any] = (),
                              expected: str | None = None, same_reasons: bool = True) -> Outcome:
    """Both entry points give the same outcome (and write the same number of rows). With
    ``same_reasons=False`` only the result and the rows written must match (a page may refuse
    earlier, e.g. a choice its form does not offer)."""
    models = list(models)
    on_page = _run(page, page_outcome, models)
    on_api = _run(api, api_outcome, models)
    if same_reasons:
        assert on_page == on_api, f"page and API disagree:\n  page: {on_page}\n  api:  {on_api}"
    else:
        assert (on_page.result, on_page.written) == (on_api.result, on_api.written), (
            f"page and API disagree:\n  page: {on_page}\n  api:  {on_api}")
    if expected is not None:
        assert on_page.result == expected, on_page
    return on_page

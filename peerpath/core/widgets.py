"""The type-ahead picker: one widget for every client or staff choice.

A search box asks the kind's search endpoint (``clients:client_search``, ``accounts:staff_search``)
for matching people as you type (htmx); the endpoint answers with radio buttons carrying the
field's name, so the form posts the chosen id and the field's scoped queryset still validates it.
Without JavaScript the box is a plain field: submitting the form shows the choices the same way.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.http import HttpRequest
from django.urls import reverse


class TypeaheadSelect(forms.Widget):
    template_name = "core/widgets/typeahead.html"

    def __init__(self, *, search_url: str, params: str = "", attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.search_url = search_url  # a URL name
        self.params = params  # extra query, e.g. "role=peer"
        self.choices: Any = ()

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        chosen = []
        if value not in (None, ""):
            queryset = getattr(self.choices, "queryset", None)
            if queryset is not None:
                chosen = list(queryset.filter(pk=value)[:1]) if str(value).isdigit() else []
        query = f"&{self.params}" if self.params else ""
        context["widget"].update({"search_url": reverse(self.search_url), "query": query, "chosen": chosen})
        return context

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        return data.get(name)


_FIELD_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,40}$")


def typeahead_field_name(request: HttpRequest) -> str:
    """The asking field's name (echoed into the answer's radio buttons), or ``pick`` if it is not a plain name."""
    field = request.GET.get("field", "")
    return field if _FIELD_NAME.match(field) else "pick"

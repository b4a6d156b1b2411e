"""What a mapper needs besides the row: the organisation's identifier namespace, cached per export."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from peerpath.core.models import Organisation


@dataclass
class MapContext:
    organisation: Organisation
    base_url: str = "http://localhost/fhir/r4"
    _slugs: dict[int, str] = field(default_factory=dict)
    _part2: set[int] | None = None
    _memo: dict[Any, Any] = field(default_factory=dict)

    def memo(self, key: Any, compute: Any) -> Any:
        """A value computed once per request or export (e.g. a team's members, shared by its clients' CareTeams)."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    @property
    def part2_ids(self) -> set[int]:
        """Clients flagged under 42 CFR Part 2 (loaded once per request or export)."""
        if self._part2 is None:
            from peerpath.interop.fhir.part2 import flagged_ids

            self._part2 = flagged_ids(self.organisation.pk)
        return self._part2

    @property
    def slug(self) -> str:
        return self.organisation.slug

    def slug_of(self, organisation_id: int | None) -> str:
        if organisation_id is None:
            return "shipped"
        if organisation_id == self.organisation.pk:
            return self.organisation.slug
        if organisation_id not in self._slugs:
            self._slugs[organisation_id] = Organisation.objects.values_list("slug", flat=True).get(pk=organisation_id)
        return self._slugs[organisation_id]

    @classmethod
    def for_actor(cls, actor: Any, base_url: str = "") -> MapContext:
        ctx = cls(organisation=actor.organisation)
        if base_url:
            ctx.base_url = base_url.rstrip("/")
        return ctx

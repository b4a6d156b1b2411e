"""FHIR R4 (US Core 6.1.0) interface: one mapper module per resource, the server views, search and paging,
and the offline validator used by the tests. Everything reads through the same selectors and permission rules
as the pages (``policies``), so the FHIR API cannot show more than the pages do."""

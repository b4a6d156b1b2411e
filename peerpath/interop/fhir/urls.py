"""``/fhir/r4/``: one read and one search route per resource type, so the access matrix covers each type."""

from django.urls import path

from peerpath.interop.fhir import bulk, server
from peerpath.interop.fhir.resources import SPECS

app_name = "fhir"

urlpatterns = [
    path("", server.transaction_or_batch, name="bundle"),
    path("metadata", server.metadata, name="metadata"),
    path("auth/token", server.token, name="token"),
    path(".well-known/smart-configuration", server.smart_configuration, name="smart_configuration"),
    path("$export", bulk.export_system, name="export_system"),
    path("Patient/$export", bulk.export_patient, name="export_patient"),
    path("Group/<str:group_id>/$export", bulk.export_group, name="export_group"),
    path("$export-status/<int:export_id>", bulk.export_status, name="export_status"),
    path("$export-file/<int:export_id>/<str:resource_type>.ndjson", bulk.export_file, name="export_file"),
]
for _type in SPECS:
    urlpatterns += [
        path(f"{_type}", server.search_type, {"resource_type": _type}, name=f"{_type.lower()}_search"),
        path(f"{_type}/_search", server.search_type, {"resource_type": _type}, name=f"{_type.lower()}_search_post"),
        path(f"{_type}/<str:resource_id>", server.read, {"resource_type": _type}, name=f"{_type.lower()}_read"),
    ]

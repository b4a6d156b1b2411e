from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "peerpath.measures"
    label = "measures"

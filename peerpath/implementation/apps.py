from django.apps import AppConfig


class ImplementationConfig(AppConfig):
    name = "peerpath.implementation"
    label = "implementation"

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "peerpath.core"
    label = "core"
    verbose_name = "Peerpath core"

    def ready(self) -> None:
        from peerpath.core import events

        events.autodiscover()

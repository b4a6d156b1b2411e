from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "peerpath.care"
    label = "care"
    verbose_name = "Encounters, recovery plans and team meetings"

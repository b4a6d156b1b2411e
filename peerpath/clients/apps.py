from django.apps import AppConfig


class ClientsConfig(AppConfig):
    name = "peerpath.clients"
    label = "clients"
    verbose_name = "Clients, referrals and matching"

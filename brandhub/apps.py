from django.apps import AppConfig


class BrandhubConfig(AppConfig):
    name = "brandhub"
    verbose_name = "helloITA Brand Hub"

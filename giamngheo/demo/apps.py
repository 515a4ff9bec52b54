from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "giamngheo.demo"
    label = "demo"
    verbose_name = "Demo"

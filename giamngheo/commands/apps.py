from django.apps import AppConfig


class CommandsConfig(AppConfig):
    """Commands that reach across the whole project (classify, reclassify, whatif, standards): the roof."""

    name = "giamngheo.commands"
    label = "commands"
    verbose_name = "Giảm nghèo"

from django.apps import AppConfig


class JournalConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "journal"
    verbose_name = "Journal"

    def ready(self) -> None:
        from journal import startup  # noqa: F401  (registers the start-up checks)
        from journal.logs import connect_task_logs

        connect_task_logs()

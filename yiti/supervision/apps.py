from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "yiti.supervision"
    label = "supervision"
    verbose_name = _("Supervision")

    def ready(self) -> None:
        # Supervision plugs into the platform through yiti.core.extensions; core never imports this app.
        from yiti.core import extensions
        from yiti.supervision.visibility import visible_to

        # A task is readable by those it is addressed to and the department that assigned it, whatever their scope.
        extensions.add_visibility("supervision.task", visible_to)
        self._reminders()

    def _reminders(self) -> None:
        """Lights, reminders, 我的待办 and roll-ups (yiti/supervision/notify*.py, rollups.py), through
        yiti.core.extensions: core never imports this app."""
        from yiti.core import extensions
        from yiti.core.navigation import MenuItem
        from yiti.core.registry import MenuGroup
        from yiti.supervision import signals  # noqa: F401  (assignment and return notify at once)
        from yiti.supervision.notify_views import may_see_rollups, may_use_todo, remind_section

        extensions.add_detail_section(remind_section)
        supervision = MenuGroup(_("Supervision"), 55)
        extensions.add_menu_item(supervision, MenuItem(_("My to-do"), "supervision.Task", "supervise:todo", 20,
                                                       visible=may_use_todo))
        extensions.add_menu_item(supervision, MenuItem(_("Supervision roll-ups"), "supervision.Task",
                                                       "supervise:rollups", 30, visible=may_see_rollups))
        self._home()

    def _home(self) -> None:
        """The home page's supervision sections, through the dashboard's hook (a feature app beside this one)."""
        from yiti.dashboard.home import add_section
        from yiti.supervision.home import my_tasks_section, overdue_section

        add_section("leader", overdue_section)
        add_section("staff", my_tasks_section)

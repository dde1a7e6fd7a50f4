from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _imports(registry) -> bool:
    return registry.imports is not None


def _has_duplicate_rule(registry) -> bool:
    from yiti.imports.duplicates import has_rule

    return _imports(registry) and has_rule(registry)


def _suggests_codes(registry) -> bool:
    from yiti.imports.tagging import taggable

    return bool(taggable(registry))


class ImportsConfig(AppConfig):
    name = "yiti.imports"
    label = "imports"
    verbose_name = _("Imports")

    def ready(self) -> None:
        # Every registry that declares ImportOptions gets 导入, 下载模板, 合并, 疑似重复 and, where it has
        # text to learn from, 建议代码 (core knows nothing of this app; see yiti.core.extensions).
        from yiti.core import extensions
        from yiti.core.navigation import SYSTEM, MenuItem
        from yiti.imports.referrals import may_resolve
        from yiti.imports.urls import import_urls

        extensions.add_urls(import_urls)
        extensions.add_list_action(extensions.ListAction(_("Import"), "import", needs=("add",), when=_imports))
        extensions.add_list_action(extensions.ListAction(_("Possible duplicates"), "duplicates",
                                                         needs=("change", "delete"), when=_has_duplicate_rule))
        extensions.add_list_action(extensions.ListAction(_("Suggest codes"), "suggest_codes", needs=("change",),
                                                         when=lambda r: _imports(r) and _suggests_codes(r)))
        # 跨区记录: import rows the city office resolves; only city-wide staff may open the page.
        extensions.add_menu_item(SYSTEM, MenuItem(_("Cross-scope rows"), "imports.Referral", "imports:referrals", 30,
                                                  visible=may_resolve))

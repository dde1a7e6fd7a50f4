from django.urls import path


def import_urls(registry) -> list:
    """下载模板 / 导入 / 合并 / 疑似重复 / 建议代码 for one registry, mounted under its list (e.g. /talents/import/);
    none for a registry without ImportOptions. Registered in ImportsConfig.ready()."""
    from yiti.imports import duplicates, merge, suggestions, tagging, views

    if registry.imports is None:
        return []
    name = registry.model_name
    suggest = [path("suggest-codes/", suggestions.SuggestCodesView.as_view(registry=registry),
                    name=f"{name}_suggest_codes")] if tagging.taggable(registry) else []
    return [
        *suggest,
        path("import/", views.ImportUploadView.as_view(registry=registry), name=f"{name}_import"),
        path("import/template/", views.template_download, {"registry_name": registry.app_label},
             name=f"{name}_import_template"),
        path("<int:pk>/merge/", merge.merge_view, {"registry": registry}, name=f"{name}_merge"),
        *([path("duplicates/", duplicates.duplicates_view, {"registry": registry}, name=f"{name}_duplicates")]
          if duplicates.has_rule(registry) else []),
    ]

"""Features add to every registry's pages through yiti.core.extensions, without core importing them."""

import pytest
from django.template import Template
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from yiti.core import extensions
from yiti.core.models import Division
from yiti.core.registry import registries


@pytest.fixture
def organisation():
    model = registries()["orgs"].model
    return model._default_manager.create(name="扩展测试研究院", org_type="institute",
                                         division=Division.objects.get(code="140702"))


@pytest.fixture
def hooks(monkeypatch):
    """Empty, private copies of the hook lists: a test's registrations do not outlive it."""
    for name in ("_url_makers", "_list_actions", "_detail_sections", "_menu_items"):
        monkeypatch.setattr(extensions, name, list(getattr(extensions, name)))


@pytest.mark.django_db
def test_a_detail_section_appears_where_its_maker_says(admin_client, organisation, hooks):
    def section(request, registry, obj):
        if registry.app_label != "orgs":
            return None
        return {"template": Template('<p id="ext">{{ section.title }} {{ section.obj.name }}</p>'),
                "title": "对接结果", "obj": obj}

    extensions.add_detail_section(section)
    body = admin_client.get(organisation.get_absolute_url()).content.decode()
    assert '<p id="ext">对接结果 扩展测试研究院</p>' in body


@pytest.mark.django_db
def test_a_list_action_shows_only_to_users_holding_its_actions(client, admin_client, hooks, django_user_model):
    extensions.add_list_action(extensions.ListAction(_("Add"), "add", needs=("delete",),
                                                     when=lambda r: r.app_label == "needs"))
    add_url = reverse("needs:need_add")
    body = admin_client.get(reverse("needs:need_list")).content.decode()
    assert body.count(f'href="{add_url}"') == 2  # the registry's own 新增 and the registered button
    assert admin_client.get(reverse("results:result_list")).content.decode().count('href="/results/add/"') == 1
    leader = django_user_model.objects.create_user("leader_x", password="Zs-2026-leader!", role="leader")
    client.force_login(leader)  # a leader may view, not delete: no button
    response = client.get(reverse("needs:need_list"))
    assert response.status_code == 200 and f'href="{add_url}"' not in response.content.decode()

"""List pages render dates without compiling a template per cell (issue 12, item 34)."""

import datetime

import pytest
from django.template import base
from django.urls import reverse

from yiti.platforms.testing import make_platform


@pytest.mark.django_db
def test_date_cells_read_as_before_and_compile_no_template_per_row(admin_client, monkeypatch):
    for i in range(30):
        make_platform(accredited_date=datetime.date(2024, 3, 1 + i % 28))
    admin_client.get(reverse("platforms:platform_list"))  # templates of the page itself are compiled once, cached
    compiled = []
    original = base.Template.__init__

    def counting(self, *args, **kwargs):
        compiled.append(args[0] if args else "")
        original(self, *args, **kwargs)

    monkeypatch.setattr(base.Template, "__init__", counting)
    response = admin_client.get(reverse("platforms:platform_list"))
    assert response.status_code == 200
    assert "2024-03-01" in response.content.decode()
    assert len(compiled) < 10, compiled[:5]  # was two per row: one per date cell

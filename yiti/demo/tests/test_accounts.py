"""The demo accounts: one per role and per county office, named like people."""

import pytest

from yiti.accounts.models import User
from yiti.demo.accounts import create_demo_accounts


@pytest.mark.django_db
def test_demo_accounts_have_real_looking_names(tmp_path, monkeypatch):
    monkeypatch.setenv("YITI_DEMO_ACCOUNTS", str(tmp_path / "accounts.json"))
    create_demo_accounts()
    unnamed = [u.username for u in User.objects.all() if not u.last_name or not u.first_name]
    assert unnamed == []
    assert str(User.objects.get(username="staff_140702")) == "郭晓东（榆次区科技局）"

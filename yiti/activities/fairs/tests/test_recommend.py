"""Talents recommended for a position by the matching engine: with reasons, within consent and scope."""

import pytest
from django.urls import reverse

from yiti.activities.fairs import recommend
from yiti.activities.fairs.testing import make_fair, make_intention, make_position
from yiti.matching.tests.recommend_world import city_fixture  # noqa: F401  (the `city` fixture)

pytestmark = pytest.mark.django_db


def position_in(city, **kw):
    fair = make_fair(division=city["a"])
    return make_position(fair=fair, enterprise=city["enterprise"], title="铸造热处理工程师",
                         requirements="熟悉球墨铸铁热处理工艺，能解决铸件气孔缺陷", **kw)


def test_talents_for_a_position_come_with_reasons_and_consent(city):
    position = position_in(city)
    found = recommend.talents_for(position, city["city_staff"])
    names = [r.record.name for r in found]
    assert "王铸" in names and "赵拒" not in names  # 赵拒 has not consented to being recommended
    first = found[names.index("王铸")]
    assert any("共同关键词" in reason or "关键" in reason for reason in first.reasons), first.reasons
    # a talent who already has an intention for the position is not proposed again
    make_intention(position, city["expert"])
    assert "王铸" not in [r.record.name for r in recommend.talents_for(position, city["city_staff"])]


def test_recommendations_stay_within_the_scope(city):
    from yiti.talents.services import offerable

    position = position_in(city)
    found = {r.record.pk for r in recommend.talents_for(position, city["staff_a"])}
    assert found and found <= set(offerable(city["staff_a"]).values_list("pk", flat=True))
    # an enterprise contact sees no talents outside what their role may view
    assert {r.record.pk for r in recommend.talents_for(position, city["enterprise_contact"])} <= set(
        offerable(city["enterprise_contact"]).values_list("pk", flat=True))


def test_the_recommendation_page(client, city):
    position = position_in(city)
    client.force_login(city["city_staff"])
    page = client.get(reverse("fairs:position_recommend", args=[position.pk])).content.decode()
    assert "王铸" in page and "赵拒" not in page
    client.force_login(city["staff_b"])  # the position's fair is county A's
    assert client.get(reverse("fairs:position_recommend", args=[position.pk])).status_code == 404

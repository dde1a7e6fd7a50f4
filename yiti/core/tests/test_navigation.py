from yiti.core.navigation import _mark_active


def groups(*urls):
    return [{"title": "g", "items": [{"label": u, "url": u, "active": False} for u in urls]}]


def active(found):
    return [entry["url"] for group in found for entry in group["items"] if entry["active"]]


def test_one_entry_is_current_the_longest_start_of_the_path():
    found = groups("/talents/", "/matching/lists/", "/matching/mine/", "/matching/")
    _mark_active(found, "/matching/mine/")
    assert active(found) == ["/matching/mine/"]


def test_a_registry_entry_is_current_on_its_records_pages():
    found = groups("/talents/", "/experts/")
    _mark_active(found, "/talents/12/edit/")
    assert active(found) == ["/talents/"]


def test_no_entry_is_current_on_a_page_outside_the_menu():
    found = groups("/talents/", "/matching/lists/")
    _mark_active(found, "/matching/items/")
    assert active(found) == []

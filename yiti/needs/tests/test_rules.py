"""A need's own rules (Model.clean, run by the edit form and the import) refuse with codes."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from yiti.needs.models import Need
from yiti.orgs.testing import make_enterprise, make_org


@pytest.mark.django_db
def test_a_need_of_a_university_and_a_deadline_before_publication_are_refused_by_code():
    need = Need(enterprise=make_org(), title="铸件检测", published_date=datetime.date(2025, 5, 1),
                deadline=datetime.date(2025, 4, 1))
    with pytest.raises(ValidationError) as caught:
        need.clean()
    codes = {name: [e.code for e in errors] for name, errors in caught.value.error_dict.items()}
    assert codes == {"enterprise": ["not_enterprise"], "deadline": ["deadline_before_published"]}
    need.enterprise, need.deadline = make_enterprise(), datetime.date(2025, 6, 1)
    need.clean()

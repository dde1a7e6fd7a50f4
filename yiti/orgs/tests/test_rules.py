"""An organisation's own rules (Model.clean, run by the edit form and the import) refuse with codes."""

import pytest
from django.core.exceptions import ValidationError

from yiti.orgs.models import Organisation


def test_enterprise_only_fields_on_a_university_are_refused_by_code():
    org = Organisation(name="晋中学院", org_type="university", is_leading=True)
    with pytest.raises(ValidationError) as caught:
        org.clean()
    assert [e.code for e in caught.value.error_dict["is_leading"]] == ["enterprise_only"]

"""A platform's own rules (Model.clean, run by the edit form and the import) refuse with codes."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from yiti.platforms.models import Platform

D = datetime.date


@pytest.mark.parametrize(("values", "expected"), [
    ({"applied_date": D(2025, 3, 1), "listed_date": D(2025, 1, 1)}, {"listed_date": ["date_order"]}),
    ({"accredited_date": D(2025, 3, 1), "renewal_due": D(2025, 1, 1), "status": "accredited"},
     {"renewal_due": ["renewal_before_accredited"]}),
    ({"status": "operating"}, {"accredited_date": ["accredited_date_needed"]}),
])
def test_a_platforms_dates_and_status_are_refused_by_code(values, expected):
    with pytest.raises(ValidationError) as caught:
        Platform(name="工程技术研究中心", **values).clean()
    assert {name: [e.code for e in errors] for name, errors in caught.value.error_dict.items()} == expected

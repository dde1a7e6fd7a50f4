"""A result's own rules (Model.clean, run by the edit form and the import) refuse with codes."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from yiti.results.models import Result


@pytest.mark.parametrize("year", [1948, timezone.localdate().year + 1])
def test_a_year_out_of_range_is_refused_by_code(year):
    with pytest.raises(ValidationError) as caught:
        Result(title="一种热处理方法", year=year).clean()
    assert [e.code for e in caught.value.error_dict["year"]] == ["year_range"]


def test_this_year_is_accepted():
    Result(title="一种热处理方法", year=timezone.localdate().year).clean()

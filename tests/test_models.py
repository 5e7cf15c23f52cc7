"""Every record states its contract, and records are frozen and strict."""

from __future__ import annotations

import inspect

import pydantic
import pytest

from factcheck import models

RECORDS = sorted(
    (
        obj
        for obj in vars(models).values()
        if inspect.isclass(obj) and issubclass(obj, models.Record) and obj.__module__ == models.__name__
    ),
    key=lambda c: c.__name__,
)


@pytest.mark.parametrize("record", RECORDS, ids=lambda c: c.__name__)
def test_models_every_record_has_a_docstring(record):
    assert (record.__doc__ or "").strip(), f"models.{record.__name__} has no docstring stating its contract"


def test_models_records_are_frozen_and_reject_unknown_fields():
    span = models.Span(start=1, end=3)
    with pytest.raises(pydantic.ValidationError):
        span.start = 2  # type: ignore[misc]
    with pytest.raises(pydantic.ValidationError):
        models.Span(start=0, end=1, width=1)  # type: ignore[call-arg]

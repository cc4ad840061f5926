"""project.serializers.FlatFieldsMixin: cheap field copies that still behave like DRF's."""

import pytest
from rest_framework import serializers

from project.serializers import FlatFieldsMixin


class Inner(FlatFieldsMixin, serializers.Serializer):
    name = serializers.CharField()


class Outer(FlatFieldsMixin, serializers.Serializer):
    count = serializers.IntegerField(min_value=0)
    tags = serializers.ListField(child=serializers.ChoiceField(choices=["a", "b"]))
    inner = Inner()


def test_each_instance_binds_its_own_copies_of_the_fields():
    first, second = Outer(data={}), Outer(data={})

    assert first.fields["count"] is not second.fields["count"]
    assert first.fields["count"].parent is first
    assert second.fields["inner"].parent is second
    assert first.fields["inner"].fields["name"] is not second.fields["inner"].fields["name"]
    # The class-level templates stay unbound.
    assert Outer._declared_fields["count"].parent is None


def test_validation_and_errors_are_drf_s():
    good = Outer(data={"count": "3", "tags": ["a"], "inner": {"name": "x"}})
    bad = Outer(data={"count": -1, "tags": ["z"], "inner": {}})

    assert good.is_valid(), good.errors
    assert good.validated_data == {"count": 3, "tags": ["a"], "inner": {"name": "x"}}
    assert not bad.is_valid()
    assert set(bad.errors) == {"count", "tags", "inner"}
    assert "name" in bad.errors["inner"]


def test_a_second_validation_is_not_affected_by_the_first():
    assert not Outer(data={"count": -1, "tags": [], "inner": {"name": "x"}}).is_valid()
    again = Outer(data={"count": 1, "tags": [], "inner": {"name": "x"}})
    assert again.is_valid(), again.errors


def test_nested_output_sees_the_outer_context():
    class Shown(FlatFieldsMixin, serializers.Serializer):
        who = serializers.SerializerMethodField()

        def get_who(self, obj):
            return self.context["who"]

    class Holder(FlatFieldsMixin, serializers.Serializer):
        shown = Shown(source="*")

    assert Holder({}, context={"who": "staff"}).data == {"shown": {"who": "staff"}}


def test_many_true_children_are_refused_at_class_definition():
    with pytest.raises(TypeError, match="many=True"):
        class Listing(FlatFieldsMixin, serializers.Serializer):
            items = Inner(many=True)

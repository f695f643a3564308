"""Serializer fields shared by the API resources."""

import math

from rest_framework import serializers


def finite(value: float) -> None:
    if not math.isfinite(value):
        raise serializers.ValidationError("Enter a finite number.")


class FiniteFloatField(serializers.FloatField):
    default_validators = [finite]


class UserRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="display_name")


class SlugRefField(serializers.SlugRelatedField):
    """A reference by slug that never sends an impossible value to the database."""

    def to_internal_value(self, data):
        if not isinstance(data, str) or "\x00" in data or len(data) > 200:
            self.fail("invalid")
        return super().to_internal_value(data)

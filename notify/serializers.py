from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import serializers

from notify.models import EmailKind, EventType, Subscription
from stations.models import Union


class EmailPreferencesSerializer(serializers.Serializer):
    off = serializers.ListField(child=serializers.ChoiceField(choices=EmailKind.choices))


class WebhookSerializer(serializers.Serializer):
    """A webhook; its secret is accepted (or generated) and returned on creation only."""

    id = serializers.IntegerField(read_only=True)
    url = serializers.CharField(max_length=500)
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=EventType.choices), allow_empty=False
    )
    union = serializers.CharField(
        required=False, allow_null=True, write_only=True, help_text="the union's area code"
    )
    secret = serializers.CharField(
        write_only=True, required=False, allow_blank=True, max_length=200,
        help_text="HMAC secret; generated if omitted. Returned once, in the answer to the POST.",
    )
    is_active = serializers.BooleanField(read_only=True)
    paused_at = serializers.DateTimeField(read_only=True)
    consecutive_failures = serializers.IntegerField(read_only=True)

    def validate_union(self, adcode: str | None) -> Union | None:
        if not adcode:
            return None
        union = Union.objects.filter(area__adcode=adcode).first()
        if union is None:
            raise serializers.ValidationError(
                _("No union for area code %(code)s") % {"code": adcode}
            )
        return union

    def create(self, validated_data) -> Subscription:
        try:
            sub, secret = Subscription.objects.register(
                validated_data["url"], validated_data["events"], validated_data.get("union"),
                validated_data.get("secret", ""),
            )
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from None
        sub.shown_secret = secret
        return sub

    def to_representation(self, sub: Subscription) -> dict:
        data = super().to_representation(sub)
        data["union"] = sub.union.area.adcode if sub.union_id else None
        if hasattr(sub, "shown_secret"):
            data["secret"] = sub.shown_secret
        return data

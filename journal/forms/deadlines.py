"""The form to extend one stage deadline of a paper."""

from django import forms

from journal.enums import Stage
from journal.services.deadlines import MAX_EXTENSION_DAYS


class StageExtensionForm(forms.Form):
    stage = forms.ChoiceField(choices=Stage.choices, widget=forms.HiddenInput)
    days = forms.IntegerField(label="More days", min_value=1, max_value=MAX_EXTENSION_DAYS)
    reason = forms.CharField(
        label="Reason (recorded)", max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )

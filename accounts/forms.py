from django import forms
from django.utils.translation import gettext_lazy as _


class OfficerForm(forms.Form):
    """A new commune-officer account; the commune list holds only the actor's own communes."""

    username = forms.RegexField(
        label=_("Tên đăng nhập"),
        max_length=150,
        regex=r"^[\w.@+-]+$",
        error_messages={"invalid": _("Tên đăng nhập chỉ gồm chữ, số và các ký tự . @ + - _")},
    )
    full_name = forms.CharField(label=_("Họ và tên"), max_length=150, required=False)
    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    unit = forms.ModelChoiceField(label=_("Xã"), queryset=None)
    password = forms.CharField(label=_("Mật khẩu"), widget=forms.PasswordInput, strip=False)

    def __init__(self, *args, communes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = communes


class OfficerPasswordForm(forms.Form):
    """A new password for one officer of the actor's communes."""

    officer = forms.ModelChoiceField(label=_("Tài khoản"), queryset=None)
    new_password = forms.CharField(label=_("Mật khẩu mới"), widget=forms.PasswordInput, strip=False)

    def __init__(self, *args, officers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = officers
        self.fields["officer"].label_from_instance = lambda user: f"{user.username} ({user.profile.unit.display_name})"


class SteeringStaffForm(OfficerForm):
    """A new steering-committee account (BCĐ tỉnh / BCĐ huyện) for the actor's unit or one under it."""

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, communes=units, **kwargs)
        self.fields["unit"].label = _("Đơn vị")
        self.fields["unit"].label_from_instance = lambda unit: unit.display_name

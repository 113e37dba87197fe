"""The add/edit profile dialog: subscription, endpoint, API version, format, certificate paths."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Select, Static

from smtui.api.errors import ValidationError
from smtui.profiles.model import DEFAULT_API_VERSION, DEFAULT_HOST, SERIALIZE_TYPES, Profile

FIELDS = (
    ("name", "Profile name", "e.g. prod"),
    ("subscription_id", "Subscription id", "GUID"),
    ("host", "Management host", DEFAULT_HOST),
    ("api_version", "API version (x-ms-version)", DEFAULT_API_VERSION),
    ("cert_path", "Certificate (PEM) path", "/path/to/cert.pem"),
    ("key_path", "Private key (PEM) path", "/path/to/key.pem"),
    ("ca_file", "CA bundle for the server (optional)", "only for private endpoints"),
    ("subscription_name", "Subscription display name (optional)", ""),
)


class ProfileForm(ModalScreen[Profile | None]):
    """Edit the fields of a :class:`~smtui.profiles.model.Profile`; validated before it returns."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Cancel", id="profile-form.cancel"),
        Binding("ctrl+s", "save", "Save", id="profile-form.save"),
    ]

    DEFAULT_CSS = """
    ProfileForm {
        align: center middle;
        & > Vertical { width: 96%; max-width: 90; height: 96%; border: round $primary;
                       background: $surface; padding: 0 1; }
        & #form-title { text-style: bold; height: 1; }
        & Label { margin-top: 1; height: 1; }
        & Input { height: 1; border: none; padding: 0 1; background: $boost; }
        & #form-error { color: $error; height: auto; margin-top: 1; display: none; }
        & #form-error.-visible { display: block; }
        & #buttons { height: 1; margin-top: 1; }
        & Button { min-width: 10; margin-right: 2; }
    }
    """

    def __init__(self, profile: Profile | None = None) -> None:
        super().__init__()
        self.original = profile

    def compose(self) -> ComposeResult:
        p = self.original
        with Vertical():
            yield Static("Edit profile" if p else "Add profile", id="form-title")
            with VerticalScroll():
                for name, label, placeholder in FIELDS:
                    yield Label(label)
                    value = getattr(p, name, None) if p else None
                    yield Input(value=str(value or ""), placeholder=placeholder, id=f"f-{name}", compact=True)
                yield Label("Serialize type")
                yield Select(
                    [(t, t) for t in SERIALIZE_TYPES],
                    value=p.serialize_type if p else "XML",
                    allow_blank=False,
                    id="f-serialize_type",
                    compact=True,
                )
                yield Checkbox(
                    "Read-only (hide every mutating action)",
                    value=bool(p and p.read_only),
                    id="f-read_only",
                    compact=True,
                )
            # Outside the scroll: at 80x24 a message at the end of the fields was never seen.
            yield Static("", id="form-error", markup=False)
            with Horizontal(id="buttons"):
                yield Button("Save (ctrl+s)", id="save", variant="primary", compact=True)
                yield Button("Cancel (Esc)", id="cancel", compact=True)

    def _value(self, name: str) -> str:
        return self.query_one(f"#f-{name}", Input).value.strip()

    def build(self) -> Profile:
        """The profile from the fields.

        Raises:
            ValidationError: A field is invalid.
        """
        select = self.query_one("#f-serialize_type", Select)
        return Profile(
            name=self._value("name"),
            subscription_id=self._value("subscription_id"),
            host=self._value("host") or DEFAULT_HOST,
            api_version=self._value("api_version") or DEFAULT_API_VERSION,
            serialize_type=str(select.value),
            read_only=self.query_one("#f-read_only", Checkbox).value,
            subscription_name=self._value("subscription_name") or None,
            ca_file=self._value("ca_file") or None,
            cert_path=self._value("cert_path") or None,
            key_path=self._value("key_path") or None,
        ).validated()

    def action_save(self) -> None:
        try:
            profile = self.build()
        except ValidationError as exc:
            labels = {name: label for name, label, _ in FIELDS}
            error = self.query_one("#form-error", Static)
            error.update(f"✘ {labels.get(exc.field, exc.field)}: {exc.message}")
            error.add_class("-visible")
            field = self.query(f"#f-{exc.field}")
            if field:
                field.first().focus()
            return
        self.dismiss(profile)

    @on(Button.Pressed, "#save")
    def _save(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)

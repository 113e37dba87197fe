"""The add/edit profile dialog: subscription, endpoint, API version, format, certificate paths."""

from __future__ import annotations

from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Checkbox, Input, Label, Select, Static

from smtui.api.errors import ValidationError
from smtui.profiles.model import DEFAULT_API_VERSION, DEFAULT_HOST, SERIALIZE_TYPES, Profile
from smtui.tui.dialogs._fields import FOCUS_MARK, FormCheckbox, FormInput
from smtui.tui.dialogs._form_screen import FormScreen

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


class ProfileForm(FormScreen[Profile | None]):
    """Edit the fields of a :class:`~smtui.profiles.model.Profile`; validated before it returns.

    Keys, "Discard changes?" and the session draft come from :class:`FormScreen`.
    """

    DEFAULT_CSS = """
    ProfileForm {
        align: center middle;
        & > Vertical { width: 96%; max-width: 90; height: 96%; border: round $primary;
                       background: $surface; padding: 0 1; }
        & #form-title { text-style: bold; height: 1; }
        & Label { margin-top: 1; height: 1; }
        & Label.-focused { text-style: bold; }
        & Input { height: 1; border: none; padding: 0 1; background: $boost; }
        & #form-error { color: $error; height: auto; margin-top: 1; display: none; }
        & #form-error.-visible { display: block; }
        & #buttons { height: 1; margin-top: 1; }
        & Button { min-width: 10; margin-right: 2; }
        & #form-hint { width: 1fr; color: $text-muted; }
    }
    """

    def __init__(self, profile: Profile | None = None) -> None:
        super().__init__()
        self.original = profile
        self.draft_key = f"ProfileForm:{profile.name if profile else ''}"

    def compose(self) -> ComposeResult:
        p = self.original
        with Vertical():
            yield Static("Edit profile" if p else "Add profile", id="form-title")
            with VerticalScroll():
                for name, label, placeholder in FIELDS:
                    yield Label(f"  {label}", id=f"l-{name}")
                    value = getattr(p, name, None) if p else None
                    yield FormInput(str(value or ""), placeholder=placeholder, id=f"f-{name}", compact=True)
                yield Label("  Serialize type", id="l-serialize_type")
                yield Select(
                    [(t, t) for t in SERIALIZE_TYPES],
                    value=p.serialize_type if p else "XML",
                    allow_blank=False,
                    id="f-serialize_type",
                    compact=True,
                )
                yield FormCheckbox(
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
                yield Static("enter next field · esc Close", id="form-hint", markup=False)

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#f-name", Input))

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        # The label above the focused field gets a marker: focus must show without colours too.
        focused = event.widget.id or ""
        for label in self.query(Label):
            if label.id and label.id.startswith("l-"):
                mine = label.id[2:] == focused[2:] and focused.startswith("f-")
                text = str(label.content)[2:]
                label.update(f"{FOCUS_MARK if mine else ' '} {text}")
                label.set_class(mine, "-focused")

    def show_draft_offer(self, offered: bool) -> None:
        hint = "enter next field · esc Close"
        self.query_one("#form-hint", Static).update(f"Restore draft? ctrl+r · {hint}" if offered else hint)

    def action_submit(self) -> None:
        """ctrl+s, or Enter on the last field: save."""
        self.action_save()

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
        self.finished()
        self.dismiss(profile)

    @on(Button.Pressed, "#save")
    def _save(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.leave()

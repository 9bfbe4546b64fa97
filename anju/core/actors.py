"""Named non-human actors for audit: the CLI, the demo generator, background tasks."""

from dataclasses import dataclass


@dataclass(frozen=True)
class SystemActor:
    name: str
    pk = None
    is_anonymous = False

    @property
    def audit_label(self) -> str:
        return f"system:{self.name}"

    def __str__(self) -> str:
        return self.audit_label


CLI = SystemActor("cli")
DEMO = SystemActor("demo")
WORKER = SystemActor("worker")

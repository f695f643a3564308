"""Read the Dockerfile and compose.yaml the way Docker would, for tests that cannot build."""

import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Stage:
    name: str
    base: str
    instructions: list[tuple[str, str]] = field(default_factory=list)

    def all(self, keyword: str) -> list[str]:
        return [args for kw, args in self.instructions if kw == keyword]

    def env(self) -> dict[str, str]:
        found: dict[str, str] = {}
        for args in self.all("ENV"):
            for pair in shlex.split(args):
                key, _, value = pair.partition("=")
                found[key] = value
        return found


def dockerfile(path: Path = ROOT / "Dockerfile") -> list[Stage]:
    """Return the stages of a Dockerfile, each with its (keyword, arguments) instructions."""
    text = re.sub(r"\\\n", " ", path.read_text())
    stages: list[Stage] = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        keyword, _, args = line.partition(" ")
        keyword, args = keyword.upper(), " ".join(args.split())
        if keyword == "FROM":
            parts = args.split()
            name = parts[2] if len(parts) > 2 and parts[1].upper() == "AS" else str(len(stages))
            stages.append(Stage(name=name, base=parts[0]))
        elif stages:
            stages[-1].instructions.append((keyword, args))
    return stages


def exec_form(args: str) -> list[str]:
    """The argument list of an exec-form CMD/ENTRYPOINT (`["a", "b"]`)."""
    return yaml.safe_load(args)


def compose(path: Path = ROOT / "compose.yaml") -> dict:
    return yaml.safe_load(path.read_text())


def env_example(path: Path = ROOT / ".env.example") -> dict[str, str]:
    """Variables of .env.example, set or shown commented out (`# NAME=value`)."""
    found = {}
    for line in path.read_text().splitlines():
        match = re.match(r"^#?\s*([A-Z][A-Z0-9_]*)=(.*)$", line.strip())
        if match:
            found[match.group(1)] = match.group(2)
    return found

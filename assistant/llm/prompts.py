"""Prompt templates, loaded from the top-level ``prompts/`` folder and checked on load.

A template file has a ``[system]`` section and a ``[user]`` section. Placeholders are
``str.format`` fields (``{question}``); each template must use exactly the fields its
code fills, so that a typo in a prompt fails at load time, not mid-answer. The
"cannot answer" phrase is :data:`assistant.answer.CANNOT_ANSWER`, filled into the
prompt, so prompt, code and tests share one constant. Nothing here calls a model.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from assistant.errors import AnswererUnavailable

PROMPTS_DIR = Path(__file__).resolve().parents[2] / "prompts"
"""The repository's ``prompts/`` folder."""
FIELDS: dict[str, frozenset[str]] = {
    "answer": frozenset({"question", "evidence", "cannot_answer", "max_sentences"}),
    "rewrite": frozenset({"history", "question"}),
}
"""Each template and the placeholders it must use, no more and no fewer."""
_SECTION = re.compile(r"^\[(system|user)\]\s*$", re.MULTILINE)

Messages = list[tuple[str, str]]
"""Chat messages as ``(role, text)`` pairs, the form LangChain chat models accept."""


class PromptError(AnswererUnavailable):
    """A prompt template is missing, malformed, or uses the wrong placeholders."""


@dataclass(frozen=True)
class Prompt:
    """One checked template: a system part and a user part."""

    name: str
    """File stem, e.g. ``answer``."""
    system: str
    """The system message, with placeholders."""
    user: str
    """The user message, with placeholders."""
    fields: frozenset[str]
    """The placeholders both parts use together."""

    def render(self, **values: object) -> Messages:
        """The two messages with every placeholder filled.

        Raises:
            PromptError: A placeholder has no value, or a value has no placeholder.
        """
        given = frozenset(values)
        if given != self.fields:
            raise PromptError(f"prompt {self.name!r} takes {sorted(self.fields)}, got {sorted(given)}")
        return [("system", self.system.format(**values)), ("human", self.user.format(**values))]


@dataclass(frozen=True)
class Prompts:
    """Every template the LLM answerer uses."""

    answer: Prompt
    """Answer composition from numbered, attributed passages."""
    rewrite: Prompt
    """Follow-up question rewriting into a standalone question."""


def placeholders(template: str) -> frozenset[str]:
    """The named fields of a ``str.format`` template.

    Raises:
        PromptError: The template has a positional field or unbalanced braces.
    """
    try:
        names = [field for _, field, _, _ in string.Formatter().parse(template) if field is not None]
    except ValueError as exc:
        raise PromptError(f"malformed placeholder: {exc}; write a literal brace as {{{{ or }}}}") from exc
    if any(not name.isidentifier() for name in names):
        raise PromptError(f"placeholders must be names like {{question}}, found {sorted(set(names))}")
    return frozenset(names)


def parse_prompt(name: str, text: str, expected: frozenset[str]) -> Prompt:
    """Split a template file into its sections and check its placeholders.

    Raises:
        PromptError: A section is missing, or the placeholders differ from ``expected``.
    """
    parts = _SECTION.split(text)
    if len(parts) != 5 or parts[1] != "system" or parts[3] != "user" or parts[0].strip():
        raise PromptError(
            f"prompt {name!r} needs one [system] and then one [user] section, and nothing before"
        )
    sections = {"system": parts[2].strip(), "user": parts[4].strip()}
    found = placeholders(sections["system"]) | placeholders(sections["user"])
    if found != expected:
        missing, unknown = sorted(expected - found), sorted(found - expected)
        raise PromptError(f"prompt {name!r}: missing placeholders {missing}, unknown placeholders {unknown}")
    return Prompt(name=name, system=sections["system"], user=sections["user"], fields=expected)


def load_prompts(folder: Path | None = None) -> Prompts:
    """Read and check every template in ``folder`` (default: the repository's ``prompts/``).

    Raises:
        PromptError: A file is missing or a template is malformed.
    """
    folder = folder or PROMPTS_DIR
    loaded: dict[str, Prompt] = {}
    for name, expected in FIELDS.items():
        path = folder / f"{name}.txt"
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise PromptError(f"cannot read prompt template {path}: {exc.strerror or exc}") from exc
        loaded[name] = parse_prompt(name, text, expected)
    return Prompts(**loaded)


@lru_cache(maxsize=1)
def default_prompts() -> Prompts:
    """The repository's templates, loaded and checked once per process."""
    return load_prompts()

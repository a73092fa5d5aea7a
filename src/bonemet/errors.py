"""The exceptions bonemet raises: each says what went wrong and how to fix it."""

from __future__ import annotations


class BonemetError(Exception):
    """Base class of every error the library reports to its caller.

    ``what`` names the problem and where it is (file, line, position);
    ``fix`` tells the reader what to do about it.
    """

    def __init__(self, what: str, fix: str) -> None:
        self.what = what.rstrip(". ")
        fix = fix.rstrip(". ")
        self.fix = fix[:1].upper() + fix[1:]
        super().__init__(f"{self.what}. {self.fix}.")


class InputError(BonemetError):
    """A file is missing, unreadable or malformed."""


class QueryError(BonemetError):
    """A question is unknown, malformed, or asked with bad parameters."""


class OutputError(BonemetError):
    """A result cannot be written where it was asked to go."""


class UsageError(BonemetError):
    """Options that do not fit together."""


def one_line(text: str, keep: str = "") -> str:
    """``text`` safe for a terminal: every control character (line breaks and escape codes
    included, but those in ``keep``) written as \\uXXXX, so that no input can add a line or
    rewrite the screen."""
    return "".join(
        f"\\u{ord(c):04x}" if c not in keep and (ord(c) < 32 or 127 <= ord(c) < 160 or c in "\u2028\u2029") else c
        for c in text
    )

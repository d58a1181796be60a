"""The one error type a command ends with, and the exit codes of the command line.

Every error the package raises on purpose derives from `DisclosureError`: the CLI prints its
message (in Chinese) and exits with its `exit_code`. Anything else that escapes is a bug.

| exit | meaning |
|---|---|
| 0 | nothing blocks |
| 1 | at least one blocking finding (a result, not an error) |
| 2 | a `DisclosureError`: a request that cannot be carried out as asked — a wrong option or date, an unknown department, an unusable site.yaml, output or report folder, a build already running — or a tool the build runs that fails (Pagefind) |
| 3 | an internal error: a bug, reported with its traceback |
"""

from __future__ import annotations

EXIT_OK, EXIT_BLOCKED, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


class DisclosureError(Exception):
    """A command cannot be carried out; the message says why, in Chinese."""

    exit_code = EXIT_USAGE

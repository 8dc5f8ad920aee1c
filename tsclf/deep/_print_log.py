"""skorch's epoch table, without colour codes where no terminal shows them."""

from __future__ import annotations

import re
import sys

from skorch.callbacks import PrintLog

# ANSI "select graphic rendition" sequences: what skorch colours with.
_COLOUR = re.compile(r"\x1b\[[0-9;]*m")


class TerminalAwarePrintLog(PrintLog):
    """Print the epoch table; colour the best scores only on a terminal.

    skorch's :class:`~skorch.callbacks.PrintLog` wraps the best value of
    each score in ANSI colour codes, which a terminal shows as colour and a
    log file or a notebook's captured output as escape sequences. Here the
    codes are kept only when standard output is a terminal.

    Parameters
    ----------
    **kwargs
        As for :class:`skorch.callbacks.PrintLog`.
    """

    def format_row(self, row, key, color):
        formatted = super().format_row(row, key, color)
        if isinstance(formatted, str) and not _on_a_terminal():
            return _COLOUR.sub("", formatted)
        return formatted


def _on_a_terminal() -> bool:
    isatty = getattr(sys.stdout, "isatty", None)
    return bool(isatty and isatty())

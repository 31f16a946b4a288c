"""What a text field's tokens in a segment look like to the bulk writer when it flushes."""
from __future__ import annotations

from typing import NamedTuple

import numpy as np


class Tokens(NamedTuple):
    """A field's tokens in record and position order, terms as numbers into ``names``."""

    names: list[bytes]  # the UTF-8 bytes of the terms that occur
    used: np.ndarray  # their term numbers, ascending
    numbers: np.ndarray  # per token: its term number
    records: np.ndarray  # per token: its record (document number)
    positions: np.ndarray  # per token
    lengths: np.ndarray  # document number → tokens in the field

"""Incremental roll-ups of the registered metrics: kept in the transaction of each change, verified and rebuilt
from the source rows. See docs/decisions/0013-roll-ups.md."""

"""What the units app tells the apps that keep figures about units (they listen; units
imports none of them).

- `unit_moved`: a unit now lies in another county or park (sent inside the transaction
  that moved it, with `unit`, `before` and `after` as (county id, park id)).
"""

from django.dispatch import Signal

unit_moved = Signal()


def send_moved(unit, before: tuple) -> None:
    """Send `unit_moved` if `unit` (saved) is no longer at `before` (county id, park id)."""
    after = (unit.county_id, unit.park_id)
    if after != tuple(before):
        unit_moved.send(sender=type(unit), unit=unit, before=tuple(before), after=after)

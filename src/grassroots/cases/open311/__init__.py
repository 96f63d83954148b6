"""Open311 GeoReport v2 (``/open311/v2/``): existing 311 clients read our service catalogue and submit and
follow service requests.

- ``render``: one structure written as XML (``services/service``, ``service_requests/request``,
  ``errors/error`` …) or JSON (the Spark convention), UTF-8, w3c datetimes with their offset.
- ``parsing``: arguments (optional = empty is absent, w3c dates, ≤ 90-day spans, ``attribute[code][]``).
- ``locate``: ``address_id`` / ``lat``+``long`` / ``address_string`` → a compound, building or entrance.
- ``feed``: what the public may see — difficulties that came in through Open311 (any state) or through the
  portal once accepted; never micro-wishes, appointments or cases staff took in on a resident's behalf; and
  no personal data in any answer (names, mobile numbers, e-mail, the address as typed, photos).
- ``views``: the endpoints; writes go through ``cases.services.case_submit``.
"""

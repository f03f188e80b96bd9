"""Writes of the follow-up, one module per subject; each write is one transaction, checked
against the case, logged to the access log and, where people care, to the case history.

- ``sync``: cases and milestones kept equal to what the rules compute from the register
- ``case``: close, reopen, bring forward, refer to occupational health
- ``milestones``: mark done with its document, waive with a reason
- ``meetings``, ``plans``, ``documents`` (workplace description), ``placements``, ``committee``
- ``routines``: which routine an organisation or unit follows
- ``calendar``: the personal calendar-feed address
- ``history``: the case history and the access log entries the others write
"""

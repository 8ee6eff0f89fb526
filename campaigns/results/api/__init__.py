"""``POST /api/v1/metrics/``: a partner pushes result facts (scope ``metrics:write``).

A batch of 1 to 10,000 facts is checked whole by the same ``FactChecker`` as a file import (dates, channels, brands,
campaigns, items, creatives, figures as numbers or as exports write them) and then written by ``facts_upsert`` under
the partner's source (``MetricSource`` of kind *API* named after the key's partner), all or nothing. Facts are keyed
by the partner's row id (``source_key``) or, without one, by their grain (date × channel × brand × item ×
creative), so sending a batch again changes nothing and says so (``unchanged``). Any bad fact refuses the whole
batch with every bad fact's index, field, code and message (in the request's language), in the API's one error
shape; a key limited to some brands never writes another brand's figures.
"""

from .checking import MAX_FACTS, check_facts, china_today
from .views import MetricPushView

__all__ = ["MAX_FACTS", "MetricPushView", "check_facts", "china_today"]

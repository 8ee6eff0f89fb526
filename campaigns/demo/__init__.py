"""Demo campaigns for ``seed_demo``: a year of festival campaigns around today, with content in every status.

``specs`` holds the plain data, ``plan`` places it on the calendar (pure Python), ``banners`` draws the
creatives and ``load`` creates everything through the services and the workflow.
"""

from .load import DemoCampaigns, load_demo_campaigns
from .plan import demo_campaign_plan

__all__ = ["DemoCampaigns", "demo_campaign_plan", "load_demo_campaigns"]

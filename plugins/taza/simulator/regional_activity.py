"""Regional API family, beyond the planting reports: the routes of the campaign reports,
the annual indicators, the dump detections and the planting plans (one module each)."""
from __future__ import annotations

from taza.simulator import annual_indicators, campaign, dump_detections, planting_plans
from taza.simulator.routing import Handler

ROUTES: dict[str, Handler] = {**campaign.ROUTES, **annual_indicators.ROUTES, **dump_detections.ROUTES,
                             **planting_plans.ROUTES}

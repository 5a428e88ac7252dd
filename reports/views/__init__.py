"""Report screens, one module per screen; `options.report_options` reads unit and date for all."""

from reports.views.criteria_sets import criteria_set_detail, criteria_set_list
from reports.views.overview import overview
from reports.views.report_settings import report_settings
from reports.views.unit import unit_page

__all__ = ["criteria_set_detail", "criteria_set_list", "overview", "report_settings", "unit_page"]

"""The visualiser: org charts, lineage and scenario pages drawn with vis-network (pyvis's build).

Pure builders return `viz.chart.Chart` data (`build_org_chart`, `build_lineage_chart`,
`build_scenario_charts`); thin renderers in `viz.pages` turn them into HTML, served
by the API or standalone (every asset inlined, nothing fetched from elsewhere).
See docs/visualiser.md.
"""

from viz.chart import Chart, LegendItem
from viz.lineage import build_lineage_chart
from viz.orgchart import MAX_VISIBLE, build_org_chart
from viz.pages import landing_page, lineage_page, org_chart_page, scenario_page
from viz.scenario import build_scenario_charts

__all__ = ["Chart", "LegendItem", "MAX_VISIBLE", "build_lineage_chart", "build_org_chart",
           "build_scenario_charts", "landing_page", "lineage_page", "org_chart_page",
           "scenario_page"]

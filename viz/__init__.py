"""The visualiser: org charts, lineage and scenario pages drawn with vis-network (pyvis's build).

Pure builders return `viz.chart.Chart` data (`build_org_chart`, `build_lineage_chart`,
`build_scenario_charts`); thin renderers in `viz.pages` turn them into HTML, served
by the API or standalone (every asset inlined, nothing fetched from elsewhere).
"""

from viz.chart import Chart, LegendItem
from viz.orgchart import build_org_chart
from viz.pages import org_chart_page

__all__ = ["Chart", "LegendItem", "build_org_chart", "org_chart_page"]

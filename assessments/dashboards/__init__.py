"""What a dashboard may show: aggregates read from the tallies, and the
confidentiality rules applied before anything leaves this package.

- ``statistics``: exact figures of a group from its buckets (pure);
- ``disclosure``: which of them a group of a given size may show, and how
  coarsely (pure);
- ``boards``: the queries and the dashboards built from them, with the rules
  about groups, comparisons and trends;
- ``views``: the pages and CSVs, which only glue the above to templates.

See docs/confidentiality.md for the threat model and every rule.
"""

from assessments.dashboards.boards import (
    CSV_COLUMNS,
    CohortDashboard,
    Summary,
    TeamDashboard,
    cohort_dashboard,
    cohort_teams,
    completed_by_team,
    figures_version,
    hidden_teams,
    organisation,
    people,
    shared_with,
    summary_rows,
    team_dashboard,
    team_trend,
    withheld,
)
from assessments.dashboards.disclosure import Measure

__all__ = [
    "CSV_COLUMNS",
    "CohortDashboard",
    "Measure",
    "Summary",
    "TeamDashboard",
    "cohort_dashboard",
    "cohort_teams",
    "completed_by_team",
    "figures_version",
    "hidden_teams",
    "organisation",
    "people",
    "shared_with",
    "summary_rows",
    "team_dashboard",
    "team_trend",
    "withheld",
]

"""What a dashboard may show: aggregates read from the tallies, and the
confidentiality rules applied before anything leaves this package.

- ``statistics``: exact figures of a group from its buckets (pure);
- ``disclosure``: which of them a group of a given size may show, and how
  coarsely (pure);
- ``summaries``: a group's figures read from the tallies and passed through
  ``disclosure``, and the rows of a download;
- ``groups``: which groups may be shown beside which (small teams and those
  withheld with them, the organisation, completed counts);
- ``boards``: the team and cohort dashboards built from the two, with the
  rules about comparisons and trends;
- ``tallies``: the running totals and when they publish; ``sharing``:
  results people show their managers by choice;
- ``views``: the pages and CSVs, which only glue the above to templates.

See docs/confidentiality.md for the threat model and every rule.
"""

from assessments.dashboards.boards import (
    CohortDashboard,
    TeamDashboard,
    cohort_dashboard,
    team_dashboard,
    team_trend,
)
from assessments.dashboards.disclosure import Measure
from assessments.dashboards.groups import (
    cohort_teams,
    completed_by_team,
    figures_version,
    hidden_teams,
    organisation,
    people,
    shared_with,
)
from assessments.dashboards.summaries import (
    CSV_COLUMNS,
    Summary,
    csv_headings,
    summary_rows,
    withheld,
)

__all__ = [
    "CSV_COLUMNS",
    "CohortDashboard",
    "Measure",
    "Summary",
    "TeamDashboard",
    "cohort_dashboard",
    "cohort_teams",
    "completed_by_team",
    "csv_headings",
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

### The report dashboard (/reports/dashboard, assets/dashboard.js): charts of the report's
### filter. The filter's own words are the report page's (`report-`).

dashboard-title = Consultation dashboard
# $site is the site's name.
dashboard-crumb = { $site } · Reports
dashboard-lead = For the consultations that match the filter: the inflow per day and channel, waiting and first-response times (median and 90th percentile), and the counts per category, agent and satisfaction score.
dashboard-forbidden = Only managers and the site's admin see the consultation dashboard.

dashboard-summary = Summary
dashboard-total = Consultations
dashboard-waiting-median = Median wait
dashboard-waiting-p90 = 90th percentile wait
dashboard-first-median = Median first response
dashboard-first-p90 = 90th percentile first response
# $count is how many consultations the figure is worked out from.
dashboard-based-on = over { $count }
dashboard-status-loading = Loading the dashboard…
# $reason is the server's answer, in words.
dashboard-status-failed = The dashboard could not be loaded: { $reason }
dashboard-empty = No consultations match this filter. Try another period or filter.

dashboard-inflow-title = Inflow per day (by channel)
dashboard-inflow-hint = Consultations created each day, per channel.
dashboard-waiting-title = Waiting time per day
dashboard-waiting-hint = From a consultation's creation until an agent takes it. Consultations nobody took are left out.
dashboard-first-title = First-response time per day
dashboard-first-hint = From a consultation's creation until its first answer. Consultations nobody answered are left out.
dashboard-categories-title = Consultations per category
dashboard-agents-title = Consultations per agent
dashboard-scores-title = Satisfaction
dashboard-as-table = Show as a table
# Read aloud for a chart (its numbers are in the table below it).
dashboard-chart-label = Chart: { $title } (the numbers are in the table below)

dashboard-col-date = Date
dashboard-col-total = Total
dashboard-col-median = Median
dashboard-col-p90 = 90th percentile
dashboard-col-count = Count
dashboard-col-values = Consultations measured
dashboard-col-category = Category
dashboard-col-agent = Agent
dashboard-col-score = Score
dashboard-col-share = Share
dashboard-unclassified = Unclassified
dashboard-nobody = Not taken by an agent
dashboard-unrated = Not rated

# An id whose name is gone.
dashboard-category-id = Category #{ $id }
dashboard-agent-id = Agent #{ $id }
# $n is a share in percent.
dashboard-percent = { $n }%

## Durations.
dashboard-dur-s = { $s } s
dashboard-dur-ms = { $m } min { $s } s
dashboard-dur-hm = { $h } h { $m } min
## The unit of a chart's time axis.
dashboard-axis-seconds = seconds
dashboard-axis-minutes = minutes
dashboard-axis-hours = hours
dashboard-axis-count = consultations

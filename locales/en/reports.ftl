### Reports: the consultation history (/reports) and its downloads (.xlsx, CSV, `sangdam export`).

## Column headings, by column key (`report-col-` and the key with `-` for `_`).
report-col-consultation-id = Consultation
report-col-room-id = Room
report-col-customer-key = Customer key
report-col-channel = Channel
report-col-state = State
report-col-state-code = State code
report-col-end-type = End type
report-col-category-id = Category id
report-col-category-name = Category
report-col-division-id = Division id
report-col-division-name = Division
report-col-agent-id = Agent id
report-col-agent-name = Agent
report-col-created-at = Created
report-col-assigned-at = Assigned
report-col-first-response-at = First response
report-col-closed-at = Closed
report-col-first-response-seconds = Seconds to first response
report-col-message-count = Messages
report-col-site-uid = Member ID
report-col-cus-extra-username = Name
report-col-cus-extra-phone = Phone
report-col-cus-extra-email = E-mail
report-col-user-parameter = user_parameter
report-col-tags = Tags
report-col-rating = Satisfaction
report-col-rating-comment = Rating comment

## The page (/reports, assets/reports.js).
report-title = Consultation history
# $site is the site's name.
report-crumb = { $site } · Reports
report-lead = The consultations that match the filter, newest first, and Excel or CSV files of the same.
report-forbidden = Only managers and the site's admin see the consultation history.

report-filters = Filter
report-period = Period (created)
report-from = From
report-to = To
report-channels = Channels
report-states = States
report-end-types = End types
report-end-agent = Closed by the agent
report-end-customer = Closed by the customer
report-end-manager = Closed by a manager
report-end-auto_close = Closed automatically
report-end-off_hours = Closed off hours
report-end-over_capacity = Closed: queue full
report-end-blocked = Closed: blocked customer
report-agent = Agent
report-any-agent = Any agent
report-category = Category
report-any-category = Any category
report-division = Division
report-any-division = Any division
report-rating = Satisfaction rating
report-rating-any = Any
report-rating-rated = Rated
report-rating-unrated = Not rated
report-scores = Satisfaction scores
# $score is 1 to 5.
report-score = { $score } points
report-params = Parameter conditions
# $max is how many conditions a filter may have, $chars how long a value may be.
report-params-hint = Only consultations meeting every condition are shown. Up to { $max } conditions; values have up to { $chars } characters.
report-param-add = Add a condition
# The controls of condition number $n.
report-param-name = Condition { $n } parameter
report-param-match = Condition { $n } comparison
report-param-value = Condition { $n } value
report-param-remove = Remove condition { $n }
report-param-remove-short = Remove
report-match-exact = is
report-match-contains = contains
# $max is how many conditions a filter may have.
report-param-limit = At most { $max } conditions.
report-search = Search
report-reset = Clear the filter

report-result = Result
report-counters = Counts
report-counter-total = Total
report-counter-closed_by_agent = Closed by agents
report-counter-closed_by_customer = Closed by customers
report-counter-auto_closed = Closed automatically
report-counter-still_open = Still open
report-columns = Columns shown
report-columns-saved = The columns shown were saved.
report-columns-at-least-one = Choose at least one column.
# $reason is the server's answer, in words.
report-columns-failed = The columns could not be saved: { $reason }
report-more = Show more
report-status-loading = Loading the consultation history…
report-status-empty = No consultation matches the filter.
report-status-failed = The consultation history could not be loaded: { $reason }
report-status-check = Check the filter.
report-status-login-again = The login has ended. Log in again.
report-status-choices-failed = The agents and categories could not be loaded: { $reason }
# $total is how many consultations the filter holds, $shown how many the table shows.
report-count = Showing { $shown } of { $total }

report-err-from = Not a valid date.
report-err-to = The period ends before it starts.
report-err-scores = Scores are 1 to 5.
report-err-params = Check the parameter conditions: only parameters in use, each with a value.
report-err-param-value = Enter a value.

report-downloads = Downloads
report-downloads-hint = Every consultation of the current filter goes into the file, with every column. You may go on working while it is made.
report-export-xlsx = Download Excel (.xlsx)
report-export-csv = Download CSV
report-export-progress = Progress
# $done rows written of $total.
report-export-count = { $done } / { $total }
report-export-cancel = Cancel
report-export-state-queued = Waiting to start.
report-export-state-running = Making the file.
report-export-state-done = The file is ready.
report-export-state-failed = The file could not be made.
report-export-state-cancelled = Cancelled.
report-export-state-expired = The file was deleted after its keeping time.
# $reason is why it failed, $state the state in words.
report-export-failed-reason = { $state } ({ $reason })
# $format is the file's kind (Excel, CSV), $size its size.
report-export-download = Download the { $format } file ({ $size })
# $reason is the server's answer, in words.
report-export-start-failed = The download could not start: { $reason }
report-format-xlsx = Excel
report-format-csv = CSV
report-exports-recent = Recent downloads
report-exports-col-at = Asked at
report-exports-col-format = Format
report-exports-col-state = State
report-exports-col-rows = Rows
report-exports-col-file = File
report-exports-none = No file made yet.
report-exports-file = Download ({ $size })

### Business hours and automatic messages: the admin page (/admin/hours, assets/hours.js).

hours-title = Business hours · automatic messages
# $site is the site's name.
hours-crumb = { $site } · administration
hours-lead = When consultations are taken, the holidays, and the messages customers are sent automatically. Outside the hours, consultations are not given to agents.
hours-forbidden = Only the site's admin changes the business hours and automatic messages.

hours-schedule-title = Business hours
hours-time-zone = Time zone
hours-time-zone-help = An IANA time zone name (such as Asia/Seoul).
hours-day-weekdays = Weekdays (Mon–Fri)
hours-day-saturday = Saturday
hours-day-sunday = Sunday
hours-kind-off = Closed
hours-kind-all_day = 24 hours
hours-kind-ranges = Set hours
hours-add-range = Add hours
hours-ranges-help = An end at or before its start runs into the next day (such as 22:00–02:00). The hours of one day may not overlap.
hours-holidays = Holidays
hours-holidays-help = On a registered date its own setting (closed all day, or changed hours) replaces the weekday's hours.
hours-holidays-empty = No holidays registered.
hours-holiday-date = Date
hours-holiday-name = Name
hours-holiday-add = Add holiday
hours-holiday-no-date = Choose a date.
hours-holiday-whole-day = Closed all day
hours-holiday-changed = Changed hours
# $day is the holiday's date and name.
hours-holiday-kind-label = Hours of { $day }
hours-holiday-remove = Remove
hours-holiday-remove-label = Remove { $day }
hours-range-from = From
hours-range-to = To
# $day is the day's name, $n the range's number.
hours-range-from-label = Start of hours { $n } of { $day }
hours-range-to-label = End of hours { $n } of { $day }
hours-range-remove = Remove
hours-range-remove-label = Remove hours { $n } of { $day }
hours-queue-off-hours = Take consultations outside the hours into the queue
hours-queue-off-hours-help = On: a consultation that starts outside the hours waits in the queue and is given out when the desk opens. Off: the customer hears when you are open, and the consultation is closed at once.
hours-save = Save business hours

hours-import-title = Import holidays (.ics)
hours-import-lead = Takes the all-day events of an iCalendar file, such as a public-holiday calendar, as holidays. Dates already registered stay as they are.
hours-import-file = iCalendar file
hours-import-submit = Import
hours-import-no-file = Choose a file.
# $count is how many holidays were added.
hours-import-added = Added { $count } holidays.
# $dates are the dates, separated by commas.
hours-import-kept = Already registered (kept): { $dates }
hours-import-skipped-title = Events not imported
hours-import-skip-timed = It has a time of day, so it is no whole day off.
hours-import-skip-recurring = It repeats; only events listed with their dates are imported.
hours-import-skip-cancelled = It is cancelled.
hours-import-skip-observance = It is an observance, not a day off.
hours-import-skip-too_long = It is too long for a holiday.
hours-import-skip-bad_dates = Its dates cannot be read.

hours-messages-title = Automatic messages
hours-messages-lead = What Sangdam says to customers by itself. Variables are written in brackets (such as [counselor_name]).
hours-messages-save = Save automatic messages
hours-msg-enabled = Send
hours-msg-text = Text
# $vars are the variables, in brackets.
hours-msg-variables = Variables: { $vars }
hours-msg-greeting = Greeting
hours-msg-greeting-help = Sent when an agent is given the consultation.
hours-msg-off_hours = Outside business hours
hours-msg-off_hours-help = Sent when a consultation starts outside the hours. [next_opening] is when the desk opens next (such as tomorrow at 9:00 AM).
hours-msg-busy = All agents busy
hours-msg-busy-help = Sent when the consultation waits in the queue because every agent is at their limit.
hours-msg-unavailable = No agent available
hours-msg-unavailable-help = Sent when the desk is open but no agent takes consultations, so the consultation waits in the queue.
hours-msg-queue_position = Queue position
hours-msg-queue_position-help = Sent to KakaoTalk and Naver TalkTalk customers as their place in the queue changes (the web chat window shows it on screen). A line with [wait_minutes] is sent only when the wait can be estimated.
hours-msg-desk_closing = Desk closing
hours-msg-desk_closing-help = Sent to waiting customers when the business hours end. [next_opening] is when the desk opens next.
hours-msg-closed = Consultation ended
hours-msg-closed-help = Sent when an agent or the customer ends the consultation (an automatic close sends the auto-close notice instead).
hours-msg-auto_close_warning = Auto-close warning
hours-msg-auto_close_warning-help = Sent before an automatic close, when the warning is on in the auto-close settings below. [minutes] is the time left.
hours-msg-auto_closed = Auto-close notice
hours-msg-auto_closed-help = Sent when a consultation closes by itself for want of a reply. [minutes] is how long it waited.
hours-msg-over_capacity = Over capacity
hours-msg-over_capacity-help = Sent when the queue holds the "most waiting at once" set on the accounts page and a new consultation is not taken; it closes at once (end type: over capacity).
hours-msg-blocked = Blocked customer
hours-msg-blocked-help = Sent when a customer whose grade is "blocked" starts a consultation. It is recorded and closes at once without reaching an agent (end type: blocked).

hours-close-title = Auto-close
hours-close-lead = A consultation in progress that gets no reply closes by itself after the time set here (end type: auto-close). Consultations an agent put on hold never close this way.
hours-close-customer = Close when the customer does not answer
hours-close-customer-help = Closes when the customer has not answered the agent's last message.
hours-close-agent = Close when no agent answers
hours-close-agent-help = Closes when no agent has answered the customer's last message. Messages written while waiting count from the assignment.
hours-close-warning = Warn before closing
hours-close-warning-help = Sends the customer the auto-close warning before closing.
hours-close-minutes-label = minutes
hours-close-save = Save auto-close
hours-close-never-saved = Never saved: consultations close after 30 minutes without a customer answer (the default).

hours-status-saving = Saving…
hours-status-saved = Saved.
hours-status-imported = Imported and saved.
hours-status-refused = Not saved: correct the fields marked.
hours-status-never-saved = No business hours saved yet: consultations are taken around the clock.
hours-status-login-again = Please log in again.
hours-status-not-allowed = Only the site's admin may change this.
# $reason is the server's sentence.
hours-status-failed = Failed: { $reason }

hours-err-unknown_time_zone = Unknown time zone: use a name such as Asia/Seoul.
hours-err-invalid_time = A time is from 00:00 to 23:59.
hours-err-no_ranges = Add hours, or choose closed.
# $max-ranges is the most ranges a day holds.
hours-err-too_many_ranges = A day has at most { $max-ranges } ranges of hours.
hours-err-overlapping_ranges = The hours overlap (hours past midnight count into the next morning).
hours-err-too_many_holidays = Too many holidays.
hours-err-duplicate_holiday = This date is registered already.
# $max-name is the longest holiday name.
hours-err-holiday_name_too_long = A holiday name has at most { $max-name } characters.
hours-err-invalid_holiday_name = The holiday name has a character it may not have.
# $values are the variables, in brackets.
hours-err-unknown_variables = This message cannot use: { $values }
# $max-chars is the longest message.
hours-err-message_too_long = A message has at most { $max-chars } characters.
hours-err-message_required = A message that is sent needs a text.
hours-err-invalid_message = The message has a control character it may not have.
hours-close-minutes-required = Enter at least 1 minute.
hours-close-err-warning = The warning must be shorter than every auto-close time switched on, and needs one switched on.
# $max is the longest wait, in minutes.
hours-close-err-range = Choose 1 to { $max } minutes (7 days).

### The agent console (/console) and its script (assets/console.js).

console-title = Console
console-consultations = Consultations
console-tab-waiting = Waiting
console-tab-mine = Mine
console-tab-all = All in progress
console-tab-closed = Closed today
console-choose = Choose a consultation from the list.
console-take = Take
console-close = Close
console-hold = Hold (no auto-close)
console-hold-help = While on, this consultation never closes by itself for want of a reply.
console-hold-on = On hold: this consultation will not close by itself.
console-hold-off = Hold released: it closes by itself when nobody answers.
console-messages = Messages
console-reply = Reply
console-reply-hint = Enter: send · Shift+Enter: new line
console-send = Send
console-dialog-close = Close

## The customer panel.

console-customer = Customer
console-basic = Basic information
console-id = ID
console-name = Name
console-phone = Phone
console-phone-edit = Edit phone
console-edit = Edit
console-save = Save
console-cancel = Cancel
console-mobile = Mobile (verified)
console-email = E-mail
console-customer-key = Customer key
console-channel = Channel
console-extra = Extra information
console-info-link = Consultation info
console-new-tab = (new tab)
console-warnings = Inflow warnings
console-history = History (every channel)
console-link-title = Correct the ID
console-link-label = Customer ID (site_uid) for this room
console-preview = Preview
console-journal = Link journal

## Consultation states, channels and senders, by their API names.

console-state-bot_waiting = Waiting for the chatbot
console-state-bot = With the chatbot
console-state-waiting = Waiting
console-state-in_progress = In progress
console-state-closed = Closed
console-state-deleted = Deleted
console-state-bot_closed = Closed by the chatbot
console-channel-webchat_v1 = Web chat v1
console-channel-webchat_v2 = Web chat v2
console-channel-kakao = KakaoTalk
console-channel-naver = Naver TalkTalk
console-sender-customer = Customer
console-sender-agent = Agent
console-sender-bot = Chatbot
console-sender-system = System

## Lists and the connection.

console-anonymous = Unnamed customer
console-empty-waiting = No consultation is waiting.
console-empty-mine = You have no consultation in progress.
console-empty-all = No consultation is in progress.
console-empty-closed = No consultation was closed today.
# Announced to screen readers; $count is how many wait now.
console-new-waiting = A new consultation is waiting ({ console-state-waiting } { $count })
console-live = Live
console-reconnecting = Disconnected. Reconnecting…
console-load-failed = Could not load: { $reason }
console-session-over = Your login has ended (it expired or was ended elsewhere). Please log in again.

## The room.

console-consultation-no = Consultation #{ $id }
console-taken-by-me = assigned to you
console-taken-by-other = assigned to another agent
console-already-taken = Another agent has already taken it (이미 다른 상담원이 가져갔습니다).
console-took = You took the consultation.
console-closed-ok = The consultation is closed.
console-close-confirm-title = Close this consultation?
console-close-confirm-lead = The customer is told it has ended, and no more replies can be written in it. If they write again, a new consultation opens.
console-close-confirm = Close it
console-close-cancel = Cancel
console-reply-closed = A closed consultation cannot be answered.
console-reply-take-first = Take the consultation to reply.
console-reply-not-yours = Another agent holds this consultation.
console-room-gone = You can no longer see this consultation (another agent took it, or it was closed). Choose another from the list.
console-edit-take-first = Take the consultation to edit the customer or correct the ID.
console-reply-empty = Type a message first.
console-send-failed = Not sent: { $reason }
console-action-failed = That did not work: { $reason }
console-no-messages = No messages yet.

## Images and files in the room ($name: the file's name; $percent: how much has gone; $reason: why not).

console-attach = Attach a file
console-file-sending = Sending { $name }… { $percent }%
console-file-failed = { $name } was not sent: { $reason }

## The customer panel, filled by the script.

console-verified = ✓ Verified
console-unverified = Unverified
console-none = none
console-phone-saved = Phone number saved.
console-phone-failed = The phone number was not saved: { $reason }
console-mobile-read-only = Read-only: only a verification changes it
console-method-sms = SMS verification
console-method-kakao_sync = Kakao Sync verification
console-method-other = Other verification
console-from-profile = profile
console-extra-user_parameter = User parameter
console-extra-category_id = Category ID
console-extra-division_id = Division ID
console-no-extra = No extra information.
console-no-history = No history.
console-no-warnings = No warnings.
console-current = current
console-history-title = Consultation #{ $id }

## Inflow warnings, by their codes (crates/inflow's WarningCode).

console-warn-truncated = cut to its limit
console-warn-too_long = too long (not stored)
console-warn-invalid = invalid (not stored)
console-warn-read_only = read-only
console-warn-not_enabled = slot not enabled
console-warn-duplicate = duplicate (last value used)
console-warn-legacy_encoding = legacy encoding (CP949)
console-warn-mangled_separator = mangled separator (repaired)
console-warn-placeholder = unfilled placeholder
console-warn-sentinel = treated as absent
console-warn-ignored = ignored
console-warn-misspelled = misspelled (understood)
console-warn-unverified = unverified ID

## Correcting a room's ID, and the link journal.

console-confirm-link = Confirm the link to { $uid }
console-preview-into = This room will be linked to this profile:
console-new-profile = New profile (no profile has this ID yet)
console-merges = The two profiles' histories will be merged.
console-same-profile = The room is already linked to this profile.
console-preview-first = Preview it first.
console-linked = The ID is linked.
console-link-failed = The ID was not linked: { $reason }
console-undone = Undone.
console-undone-at = undone
console-undo = Undo
console-no-journal = No link yet.
console-by-me = me
console-by-agent = agent
console-by-inflow = inflow
console-reason-agent = set by an agent
console-reason-inflow = the inflow carried this ID
console-message-cut = The customer's message had { $original } characters; only the first { $kept } were kept. Ask the customer for the rest.

## The header: the agent's own status, the "takes no consultations" switch, and their load.

console-presence = My status
console-presence-online = Online
console-presence-away = Away
console-presence-offline = Offline
console-takes-none = Take no consultations
console-load-label = Holding
# $open: consultations held now; $max: the most held at once.
console-load = { $open }/{ $max }
console-load-title = { $open } consultations in progress, at most { $max }
# Announced to screen readers; $status is one of the presence names above.
console-presence-now = My status: { $status }
console-takes-none-on = You take no new consultations. The ones you hold stay yours.
console-presence-failed = Your status was not changed: { $reason }

## The queue: positions, waiting times, the filter, and what the site's mode allows.

console-queue-channel = Channel
console-queue-all-channels = All channels
console-queue-category = Category ID
console-queue-all-categories = All categories
# $position: 1 is next.
console-queue-position = No. { $position }
# $time: how long it has waited (one of the durations below).
console-queue-waited = waiting { $time }
console-duration-under-minute = under a minute
console-duration-minutes = { $m } min
console-duration-hours = { $h } h { $m } min
console-empty-filtered = No waiting consultation matches this filter.
console-queue-auto = This site distributes consultations automatically: waiting ones go to agents as soon as a place frees.
console-reply-auto = This consultation waits for automatic distribution.
console-refused-limit = You may hold at most { $max } consultations at once and hold { $open } now, so you cannot take another.
console-refused-auto = This site distributes consultations automatically: nobody takes them from the queue by hand.
console-refused-agent-limit = { $name } already holds as many consultations as they may.

## Handing a consultation on: transfer, assign, send back.

console-transfer = Transfer
console-send-back = Send back to the queue
console-assign = Assign
console-transfer-title = Transfer to another agent
console-assign-title = Assign to an agent
console-send-back-title = Send back to the queue
console-transfer-lead = The consultation moves when the other agent accepts. Unanswered, the request lapses and the consultation stays yours.
console-send-back-lead = It goes back to the queue in the place of when it first started waiting. In another category, it is distributed as that category.
console-send-back-category = Category to send it to
console-send-back-division = Division to send it to
# The first option of each select: leave it as the consultation has it ($name: its category or division, or none).
console-send-back-keep = Unchanged ({ $name })
# The division select's first option once another category is chosen.
console-send-back-no-division = No division
# A category with its division.
console-send-back-path = { $category } / { $division }
console-handoff-agent = Agent
console-handoff-choose = Choose an agent
# $max-note: the longest note kept.
console-handoff-note = Note (optional, at most { $max-note } characters)
console-transfer-send = Request the transfer
console-assign-send = Assign
console-send-back-send = Send back
console-handoff-cancel = Cancel
# An agent in the list: $name, and $presence (one of the presence names above).
console-agent-option = { $name } · { $presence }
# For managers: with the agent's load.
console-agent-option-load = { $name } · { $presence } · { $open }/{ $max }
console-no-agents = There is no other agent to choose.
console-choose-agent-first = Choose an agent.
console-transfer-requested = You asked { $name } to take it over. Waiting for their answer.
console-transfer-pending = Asked { $name } to take it over · waiting for their answer
console-withdraw = Withdraw request
console-transfer-withdrawn = You withdrew the transfer request to { $name }: consultation #{ $id }
console-transfer-accepted = { $name } accepted the transfer: consultation #{ $id }
console-transfer-declined = { $name } declined the transfer: consultation #{ $id }. It stays yours.
console-transfer-expired = { $name } did not answer and the transfer request lapsed: consultation #{ $id }. It stays yours.
console-sent-back = Sent back to the queue: consultation #{ $id }
# $category: the category (and division) it now has.
console-sent-back-into = Sent back to the queue: consultation #{ $id } · category { $category }
console-assigned = Assigned to { $name }.

## Transfer requests addressed to me.

console-requests = Transfer requests
console-request-from = { $name } asks you to take over consultation #{ $id }
console-request-note = Note: { $note }
console-request-expires = lapses in { $seconds } s
console-accept = Accept
console-decline = Decline
console-request-accepted = Taken over: consultation #{ $id }
console-request-declined = Declined: consultation #{ $id }
console-request-lapsed = The transfer request lapsed: consultation #{ $id }
console-request-withdrawn = { $name } withdrew the transfer request: consultation #{ $id }
console-request-failed = That did not work: { $reason }

## The consultation's timeline: who assigned, took, transferred, sent back, reclaimed.

console-timeline = Assignments
console-timeline-empty = Not assigned yet.
console-tl-assigned = Distributed automatically to { $agent }.
console-tl-taken = { $agent } took it from the queue.
console-tl-reassigned = { $actor } assigned it to { $agent }.
console-tl-transfer_requested = { $actor } asked { $agent } to take it over.
console-tl-transferred = Transferred from { $from } to { $agent }.
console-tl-transfer_declined = { $agent } declined the transfer.
console-tl-transfer_withdrawn = { $actor } withdrew the transfer request to { $agent }.
console-tl-transfer_expired = { $agent } did not answer; the transfer request lapsed.
console-tl-sent_back = { $actor } sent it back to the queue.
console-tl-reclaimed = { $from } did not answer in time; it went back to the queue.
console-tl-deactivated = Back to the queue: { $actor } deactivated { $from }'s account.
console-tl-other = The assignment changed.
console-tl-note = Note: { $note }
# A send-back into another category: $from and $to are category / division (or none).
console-tl-recategorized = Category: { $from } → { $to }
# An account the page does not know (removed, or not yet read).
console-someone = account #{ $id }

## The managers' board of agents.

console-board = Agents
console-board-name = Name
console-board-presence = Status
console-board-load = Open/max
console-board-takes = Distribution
console-board-takes-yes = takes
console-board-takes-no = takes none
console-board-empty = No accounts.
console-rating = Rated { $score } out of 5 by the customer

## Search (the box above the lists).

console-search-title = Search
console-search-label = Search customers, parameter values and messages
console-search-placeholder = Name, phone, e-mail, ID or message
console-search-go = Search
console-search-searching = Searching…
console-search-short = Type at least two letters.
# $count is how many results are shown.
console-search-found = { $count } found.
# $q is what was searched.
console-search-none = Nothing matches '{ $q }'.
console-search-indexing = Older messages are still being indexed and may be missing.
# $reason is the server's answer.
console-search-failed = Could not search: { $reason }
console-search-customers = Customers
console-search-parameters = Parameter values
console-search-messages = Messages
console-search-sender-customer = Customer
console-search-sender-agent = Agent
console-search-sender-bot = Chatbot
console-search-sender-system = System

## What agents keep about a customer: grade, star, tags, memo (assets/console-notes.js).

console-notes-title = Grade and tags
console-grade = Grade
console-grade-normal = Normal
console-grade-vip = VIP
console-grade-blocked = Blocked
console-flag = Star
console-flag-help = Star a customer worth keeping an eye on. Other agents see it too.
# The badges at the top of the panel and beside the consultation's title.
console-badge-vip = VIP customer
console-badge-blocked = Blocked customer
console-badge-flagged = Starred customer
console-badges = Customer marks
console-tags = Tags
console-tag-add-label = Add a tag
console-tag-placeholder = Type a tag, then Enter or a comma
console-tag-add = Add
console-no-tags = No tags.
# $tag is the tag, without its #.
console-tag-remove = Remove tag: { $tag }
console-tag-added = Tag added: #{ $tag }
console-tag-removed = Tag removed: #{ $tag }
console-tag-duplicate = The customer already has this tag: #{ $tag }
console-memo = Memo
console-memo-label = Memo on the customer (only agents see it)
console-memo-save = Save memo
console-memo-saved = Memo saved.
console-memo-cleared = Memo cleared.
console-memo-unchanged = Nothing has changed.
# Who wrote the memo shown, and when ($name, $time).
console-memo-by = { $name } · { $time }
console-memo-none = No memo yet.
console-memo-history = Memo history
# $count: how many earlier versions there are.
console-memo-history-count = Memo history ({ $count })
console-memo-deleted = (memo cleared)
console-memo-history-none = No earlier memos.
console-grade-now-normal = Grade set to Normal.
console-grade-now-vip = Marked as a VIP customer.
console-grade-now-blocked = Customer blocked. Their new consultations will close at once without reaching an agent. The consultation going on now stays open: close it yourself if need be.
console-flag-on = Star added.
console-flag-off = Star removed.
console-notes-failed = Not saved: { $reason }
console-notes-err-body = The memo is too long or contains characters it may not.
console-notes-err-tags = Too many tags, or a tag too long. A tag may not contain commas nor start with #.
console-block-title = Block this customer?
console-block-lead = A blocked customer's new consultations reach no agent: they are answered with the blocked message and closed at once (end type: blocked). They stay on record, and the consultation going on now stays open. Changing the grade back lifts the block.
console-block-confirm = Block
console-block-cancel = Cancel

## Canned replies: the picker in the reply box and the dialog that keeps them (assets/console-canned.js).

console-reply-hint-canned = / or Ctrl+/: canned replies
console-canned = Canned
console-canned-open = Insert a canned reply (Ctrl+/)
console-canned-list = Canned replies
console-canned-keys = ↑↓ choose · Enter or Tab insert · Esc close
console-canned-loading = Looking for canned replies…
console-canned-none = No canned reply matches.
# Announced while the list is open ($count: how many are listed).
console-canned-found = { $count } canned replies
console-canned-failed = Could not load the canned replies: { $reason }
console-canned-shared = Shared
console-canned-personal = Mine
console-canned-inserted = Canned reply inserted. Check it, then send.
# $vars: the variables left in brackets, e.g. "[customer_name] (customer's name)".
console-canned-missing = { $vars } has no value and was left in brackets. Fill it in before sending.
console-canned-var-customer_name = customer's name
console-canned-var-counselor_name = agent's name
console-canned-manage = Canned replies
console-canned-manage-lead = Type / and a shortcut in the reply box to find and insert a canned reply. [customer_name] in the text is filled with the customer's name, [counselor_name] with yours.
console-canned-search = Find a canned reply
console-canned-mine-title = My canned replies
console-canned-shared-title = Shared canned replies
console-canned-shared-readonly = Managers and the admin keep the shared canned replies.
console-canned-empty = None yet.
console-canned-more = Only some are shown. Narrow them down with Find.
console-canned-new = New canned reply
console-canned-edit = Edit
# $shortcut: the reply's shortcut.
console-canned-edit-label = Edit canned reply: /{ $shortcut }
console-canned-delete = Delete
console-canned-delete-label = Delete canned reply: /{ $shortcut }
console-canned-delete-confirm = Delete it?
console-canned-delete-yes = Delete
console-canned-delete-no = Cancel
console-canned-new-title = New canned reply
console-canned-edit-title = Edit canned reply
console-canned-scope = Scope
console-canned-scope-personal = Mine (only I use it)
console-canned-scope-shared = Shared (every agent)
console-canned-shortcut = Shortcut
console-canned-shortcut-hint = One word to type after /. No spaces and no /.
console-canned-title-field = Title (optional)
console-canned-title-hint = Left empty, the text's first line is the title.
console-canned-body = Text
console-canned-body-hint = Variables: [customer_name] the customer's name, [counselor_name] the agent's name
console-canned-save = Save
console-canned-cancel = Cancel
console-canned-close = Close
console-canned-saved = Canned reply saved: /{ $shortcut }
console-canned-deleted = Canned reply deleted: /{ $shortcut }
console-canned-save-failed = Not saved: { $reason }
console-canned-err-shortcut = A shortcut is one word, without spaces or /, and not too long.
console-canned-err-shortcut-taken = This shortcut is already used. Choose another.
console-canned-err-title = The title is too long or contains characters it may not.
console-canned-err-body = Enter a text. It may use only [customer_name] and [counselor_name], and must not be too long.

## Live signals: typing, read marks, the lists' unread counts and previews.

# Under the open consultation's messages, and in its list entry, while someone types.
console-typing-customer = The customer is typing…
# $name: the other agent's (or manager's) display name.
console-typing-agent = { $name } is typing…
console-typing-someone = Another agent is typing…
# A list entry's preview when nobody has written yet.
console-preview-none = No messages yet
console-preview-image = Photo
# $name: the file's name.
console-preview-file = File: { $name }
# The count badge, for screen readers.
console-unread-count = { $count } unread
# Under the agent's last message the customer has read.
console-read = Read

## Notifications and sounds (the header's switches).

console-alerts = Alerts
console-alerts-notify = Notifications
console-alerts-sound = Sound
console-alerts-notify-on = New consultations and messages will show as browser notifications.
console-alerts-notify-off = Browser notifications are off.
console-alerts-sound-on = Alert sounds are on.
console-alerts-sound-off = Alert sounds are off.
console-alerts-blocked = (blocked by the browser)
console-alerts-unsupported = (not supported by this browser)
console-alert-waiting-title = A new consultation is waiting
# $name: the customer; $channel: where they came from.
console-alert-waiting-body = { $name } · { $channel }
console-alert-assigned-title = A consultation was given to you
console-alert-assigned-body = { $name } · { $channel }
console-alert-message-title = New message from { $name }
console-pending-kakao = Waiting to be delivered
console-pending-kakao-help = KakaoTalk cannot be written to first: this goes out with the customer's next message.
console-via-callback = Delivered at once
console-via-callback-help = Sent at once through the callback of the customer's last message.
console-via-event_api = Delivered by the Event API
console-via-event_api-help = The callback had expired: sent through the Event API, billed as one event message.
console-via-next_message = Delivered with their next message
console-via-next_message-help = Sent with the answer to the customer's next message.
console-pending-naver = Sending
console-pending-naver-help = Being sent to Naver TalkTalk; this mark goes once TalkTalk has taken it.
# Why the chatbot handed the consultation to agents.
console-handoff-operator = From the chatbot: the customer asked for an agent.
console-handoff-block = From the chatbot: the block “{ $block }” connects to an agent.
console-handoff-fallbacks = From the chatbot: it did not understand { $count } times in a row, offered an agent, and the customer accepted.

### The admin's accounts page (/admin/agents) and its script (assets/accounts.js).

accounts-title = Accounts
# Where the page is; $site is the site's name.
accounts-crumb = { $site } · Settings › Accounts
accounts-lead = Create accounts for agents and managers.
accounts-roles-note = Agents see the waiting consultations and the ones they hold; managers see every consultation of the site, and a manager in a group the queue and that group's accounts and consultations only. A password is shown once, when the account is made; the server keeps only its hash.
accounts-list = Accounts
accounts-table = Account table
accounts-login = Login
accounts-name = Name
accounts-role = Role
accounts-add = Add an account
accounts-name-label = Name (as consoles show it)
accounts-api-token-option = Also issue an API token (for integrations and tools)
accounts-create = Create account
accounts-password = Password
accounts-api-token = API token
accounts-forbidden = Only the site's admin manages accounts.

## Said by the script.

accounts-status-created = Account created. The password is shown only now: pass it on safely.
accounts-status-saving = Creating…
accounts-status-login-again = Your login expired. Please log in again.
accounts-status-not-allowed = Only the site's admin adds accounts.
# $reason is the server's answer.
accounts-status-failed = Not created: { $reason }

## Beside a refused field.

accounts-err-taken = This login is already taken.
accounts-err-login = A login has 3 to { $max-login } letters, digits, . _ - @ and starts with a letter or a digit.
accounts-err-display_name = A name has 1 to { $max-name } characters.
accounts-err-role = The role is agent or manager.

## Distribution to agents (상담 배분): the site's mode and timers, and each account's limit, channels and categories.

accounts-dist-title = Distribution
accounts-dist-lead = How new consultations reach agents. Switching to an automatic mode distributes the waiting ones at once.
accounts-dist-mode = Mode
accounts-dist-manual = Manual
accounts-dist-manual-help = Every consultation waits in the queue; agents take them by hand.
accounts-dist-hybrid = Hybrid
accounts-dist-hybrid-help = Given to the online agent with the fewest open consultations; agents may also take from the queue.
accounts-dist-least_open = Fewest open
accounts-dist-least_open-help = Given to the online agent with the fewest open consultations.
accounts-dist-round_robin = Round robin
accounts-dist-round_robin-help = Given to online agents in turn (whoever was given one longest ago first).
accounts-dist-by_category = By category
accounts-dist-by_category-help = Given only to agents who serve the consultation's category.
accounts-dist-by_channel = By channel
accounts-dist-by_channel-help = Given only to agents who serve the channel it came by.
accounts-dist-prefer-last = Returning customers go to their last agent (when that agent has room)
accounts-dist-offline-after = Count an agent offline after their consoles closed (minutes)
accounts-dist-offline-help = Once all of an agent's consoles have been closed this long, they count as offline and get nothing. 1 to { $max-offline } minutes.
accounts-dist-reclaim = Reclaim unanswered consultations
accounts-dist-reclaim-minutes = Reclaim after (minutes)
accounts-dist-reclaim-help = A consultation its agent has not answered within this time is distributed again, and recorded. Off: never reclaimed. 1 to { $max-reclaim } minutes.
accounts-dist-save = Save distribution
accounts-dist-status-saving = Saving…
accounts-dist-status-saved = Distribution saved.
# $reason is the server's answer.
accounts-dist-status-failed = Not saved: { $reason }
accounts-dist-err-mode = Choose a mode.
accounts-dist-err-offline_after_minutes = A whole number of minutes from 1 to { $max-offline }.
accounts-dist-err-reclaim_after_minutes = A whole number of minutes from 1 to { $max-reclaim }.
accounts-routing-max = Concurrent limit
accounts-routing-channels = Channels served
accounts-routing-categories = Categories served
accounts-routing-help = An account holds 1 to { $max-open } consultations at once. Channels served count in "by channel" mode, categories served in "by category" mode; none chosen means every channel, every category. Categories are made under "Consultation categories" on the parameters page.
# A category switched off that the account still serves.
accounts-routing-category-unused = { $name } (not in use)
accounts-routing-categories-none = No category in use.
accounts-routing-categories-unread = The categories could not be read.
# $name is the account's name (for screen readers, one label per row).
accounts-routing-max-for = Concurrent limit of { $name }
accounts-routing-save = Save
accounts-routing-save-for = Save the distribution settings of { $name }
accounts-routing-status-saved = Saved.
accounts-routing-status-failed = Not saved: { $reason }
accounts-routing-err-max_concurrent = A whole number from 1 to { $max-open }.
accounts-routing-err-serves_channels = An unknown channel.
accounts-routing-err-serves_categories = A category changed meanwhile. Reload the page and choose again.
accounts-dist-limit = Limit the queue
accounts-dist-limit-count = Most waiting at once
accounts-dist-limit-help = When this many wait already, a new consultation is not taken: the customer gets the over-capacity automatic message and it closes at once (end type: over capacity). Off: no limit. 1 to { $max-queue }.
accounts-dist-err-max_waiting = A whole number from 1 to { $max-queue }.

## Changing an account (the dialog of a row's "manage" button).

accounts-manage = Manage
accounts-manage-open = Manage
# $name is the account's name (for screen readers, one label per row).
accounts-manage-for = Manage { $name }'s account
accounts-manage-title = Manage { $name }'s account
accounts-manage-name = Display name
accounts-manage-role-help = A new role reloads the person's open console at once.
accounts-manage-save = Save name and role
accounts-manage-saved = Saved.
# $reason is the server's answer.
accounts-manage-failed = Could not do it: { $reason }
accounts-reset-help = Makes a new password for someone who forgot theirs. Every login of the account ends at once.
accounts-reset = Make a new password
accounts-reset-done = The new password. It is shown only now: give it to the person safely.
accounts-reset-status = Password changed. Every login of the account has ended.
accounts-standing = Account in use
accounts-deactivate = Deactivate
accounts-deactivate-help = A deactivated account cannot log in; its open consoles and API tokens stop at once and its open consultations go back to the queue. Its past consultations stay.
accounts-deactivate-yes = Yes, deactivate
accounts-deactivate-confirm = Deactivate this account?
accounts-reactivate = Reactivate
accounts-reactivate-help = This account is deactivated. Reactivated, it logs in with the password it had (API tokens have to be issued again).
accounts-deactivated = Deactivated
accounts-deactivated-status = Deactivated. Its logins and consoles ended; its open consultations went back to the queue.
accounts-reactivated-status = Reactivated.
accounts-cancel = Cancel
accounts-close = Close

## Groups (teams): the page's section, the table's column and the dialog's choice.

accounts-manage-group-title = Groups
accounts-manage-group-lead = Groups bring agents and managers together as teams. A manager in a group sees the queue and that group's accounts and consultations only; a manager in no group sees the whole site. Deleting a group keeps its accounts (in no group).
accounts-manage-group-name = Group name
accounts-manage-group-count = Members
accounts-manage-group-empty = No groups yet.
accounts-manage-group-new = New group's name
accounts-manage-group-add = Add group
accounts-manage-group-column = Group
accounts-manage-group-label = Group
accounts-manage-group-help = Changing the group reloads the open consoles of this person and of the managers of the group they leave and the one they join.
accounts-manage-group-save = Save group
accounts-manage-group-none = No group
# $count: how many accounts are in the group.
accounts-manage-group-members = { $count }
# $name is the group's name (for screen readers, one label per row).
accounts-manage-group-name-for = Name of group { $name }
accounts-manage-group-rename = Save name
accounts-manage-group-rename-for = Save the name of group { $name }
accounts-manage-group-delete = Delete
accounts-manage-group-delete-for = Delete group { $name }
accounts-manage-group-delete-confirm = Delete group { $name }? Its { $count } accounts stay, in no group.
accounts-manage-group-delete-yes = Yes, delete it
accounts-manage-group-cancel = Cancel
accounts-manage-group-created = Group { $name } added.
accounts-manage-group-renamed = The group is now called { $name }.
accounts-manage-group-deleted = Group { $name } deleted. Its accounts stay, in no group.
accounts-manage-group-saved = Group changed.
# $reason is the server's answer.
accounts-manage-group-failed = Not done: { $reason }
accounts-manage-group-unread = The groups could not be read: { $reason }
accounts-manage-group-err-name = Give the group a name: not too long, without line breaks or other control characters.
accounts-manage-group-err-taken = The site already has a group of that name.
accounts-manage-group-err-gone = That group was deleted meanwhile. Choose again.

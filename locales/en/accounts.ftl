### The admin's accounts page (/admin/agents) and its script (assets/accounts.js).

accounts-title = Accounts
# Where the page is; $site is the site's name.
accounts-crumb = { $site } · Settings › Accounts
accounts-lead = Create accounts for agents and managers.
accounts-roles-note = Agents see the waiting consultations and the ones they hold; managers see every consultation of the site. A password is shown once, when the account is made; the server keeps only its hash.
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

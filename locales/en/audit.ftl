### The audit log: the admin's page of administrative actions (/admin/audit, assets/audit.js).

audit-title = Audit log
# $site is the site's name.
audit-crumb = { $site } · administration
audit-lead = Who did which administrative action and when, the latest first. Secret values themselves are never recorded.
audit-forbidden = Only the site's admin reads the audit log.
audit-log-title = Entries
audit-filters = Filter
audit-filter-action = Action
audit-filter-all-actions = All actions
audit-filter-actor = Account
audit-filter-all-actors = All accounts

audit-col-at = Time
audit-col-actor = Account
audit-col-action = Action
audit-col-target = Target
audit-col-detail = Details
audit-more = Show older

audit-status-loading = Loading the audit log…
# $count is how many entries are shown.
audit-status-count = Entries shown: { $count }.
audit-status-count-more = Entries shown: { $count }. "Show older" loads older ones.
audit-status-empty = No entries match.
# $reason is the server's answer, in words.
audit-status-failed = The audit log could not be loaded: { $reason }
audit-status-accounts-failed = The accounts could not be loaded: { $reason }
audit-status-login-again = Your login has ended. Please log in again.

# Who acted when no account did.
audit-actor-server = Server (automatic)
audit-actor-operator = { $name } (platform operator)
# The target of an entry: the site itself, or one thing by its number ($id).
audit-target-site = The site
audit-target-agent = Account #{ $id }
audit-target-session = Session #{ $id }
audit-target-room = Room #{ $id }
audit-target-link = Link #{ $id }
audit-target-profile = Customer profile #{ $id }
audit-target-category = Category #{ $id }
audit-target-verification = Business submission #{ $id }
audit-target-grant = Free cash grant #{ $id }
# An entry without details.
audit-detail-none = —

audit-action-site_settings_saved = Site settings saved
audit-action-site_secret_viewed = Site secret shown
audit-action-site_secret_rotated = Site secret reissued
audit-action-channel_key_viewed = Channel key shown
audit-action-channel_key_rotated = Channel key reissued
audit-action-account_created = Account added
audit-action-account_edited = Account changed
audit-action-account_deactivated = Account deactivated
audit-action-account_reactivated = Account reactivated
audit-action-password_reset = Password reset
audit-action-password_changed = Own password changed
audit-action-routing_saved = Account routing saved
audit-action-distribution_saved = Distribution saved
audit-action-hours_saved = Business hours saved
audit-action-holidays_imported = Holidays imported
audit-action-auto_messages_saved = Automatic messages saved
audit-action-auto_close_saved = Auto-close saved
audit-action-categories_changed = Categories changed
audit-action-session_ended = Session ended
audit-action-room_linked = Room linked to an ID
audit-action-link_undone = Link undone
audit-action-profile_edited = Customer profile edited
audit-action-mobile_verified = Mobile number verified
audit-action-customer_graded = Customer grade changed
audit-action-site_tags_saved = Tag list saved
audit-action-consultation_deleted = Consultation data deleted
audit-action-bot_saved = Chatbot settings saved
audit-action-wallet_changed = Wallet changed
audit-action-business_submitted = Business submitted for verification
audit-action-business_reviewed = Business verification decided
audit-action-cash_granted = Free cash granted

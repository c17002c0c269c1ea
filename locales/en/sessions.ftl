### Login sessions: one's own, and every account's for the admin (/account/sessions,
### assets/sessions.js).

sessions-title = Login sessions
# $site is the site's name, $name the account's.
sessions-crumb = { $site } · { $name }
sessions-lead = The browsers and devices logged in to this account. If you do not recognise one, end its session.
sessions-mine-title = My login sessions
sessions-mine-help = Most recently used first. A device whose session is ended must log in again, and a console open on it closes at once.
sessions-everyone-title = Every account's sessions
sessions-everyone-help = The sessions every account of the site is logged in with. The admin may end any account's session.

sessions-col-account = Account
sessions-col-device = Device
sessions-col-address = Address
sessions-col-created = Logged in
sessions-col-last-seen = Last used
sessions-col-actions = Actions

sessions-this-device = This device
sessions-unknown-device = Unknown device
sessions-end = End session
sessions-logout = Log out
# $device is the browser and system ("Chrome · Windows"), $address where it logged in from.
sessions-end-label = End the session of { $device } ({ $address })
# $name and $login are the account's name and login ID.
sessions-end-account-label = End the session of { $name } ({ $login }) on { $device } ({ $address })
sessions-end-others = End all other sessions

sessions-confirm-end = End the session of { $device } ({ $address })? That device will have to log in again.
sessions-confirm-logout = End this device's session? You will be logged out at once.
sessions-confirm-end-account = End the session of { $name } ({ $login }) on { $device } ({ $address })? That device will have to log in again.
# $count is how many other sessions there are.
sessions-confirm-end-others = End all other sessions ({ $count }) except this device's? Those devices will have to log in again.

sessions-status-loading = Loading the sessions…
# $count is how many sessions are listed.
sessions-status-count = Sessions: { $count }
sessions-status-empty = No sessions are logged in.
sessions-status-ended = The session was ended.
sessions-status-logged-out = Logged out. Going to the login page…
sessions-status-no-others = There are no other sessions to end.
# $done is how many were ended so far, $total how many there are.
sessions-status-ending = Ending the other sessions… { $done }/{ $total }
sessions-status-ended-others = All other sessions ({ $total }) were ended.
# $reason is why the rest could not be ended.
sessions-status-ended-some = Ended { $done } of the { $total } other sessions. The rest could not be ended: { $reason }
# $reason is the server's answer, in words.
sessions-status-failed = The session could not be ended: { $reason }
sessions-status-load-failed = The sessions could not be loaded: { $reason }
sessions-status-login-again = Your login has ended. Please log in again.

## One's own password.

sessions-password-title = Change password
sessions-password-help = Your current password is checked first. A new password has at least { $min } characters. Changing it ends every other session of yours.
sessions-password-current = Current password
sessions-password-new = New password
sessions-password-repeat = New password again
sessions-password-save = Change password
sessions-password-saving = Changing…
sessions-password-changed = Password changed. Your sessions on other devices have ended.
sessions-password-err-current = Enter your current password.
sessions-password-err-wrong = The current password is not right.
sessions-password-err-new = A new password has at least { $min } characters and is not only spaces.
sessions-password-err-repeat = The two new passwords differ.
# $reason is the server's answer.
sessions-password-failed = Could not change it: { $reason }

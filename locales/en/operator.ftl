### The platform operator's pages: the login (/operator/login; assets/operator-login.js) and the
### operator's page (/operator; assets/operator.js). Amounts arrive formatted ($amount "1,000").

## The login.

operator-login-title = Operator login
operator-login-heading = Platform operator login
operator-login-lead = Not a site's account: this is where the operator who runs the whole installation logs in.
operator-login-login = Login
operator-login-password = Password
operator-login-submit = Log in
operator-login-busy = Logging in…
operator-login-empty = Enter both the login and the password.
operator-login-wrong = The login or the password is wrong.
# $seconds: how long to wait.
operator-login-throttled = Too many failed logins. Try again in { $seconds } seconds.
# $reason is the server's answer, in words.
operator-login-failed = Could not log in: { $reason }

## The operator's page.

operator-title = Platform operation
operator-crumb = Operator
operator-lead = Review every site's business verification, grant free cash and set the prices.
operator-role = platform operator
operator-logout = Log out
operator-logout-failed = Could not log out: { $reason }
operator-login-again = Your operator login has ended. Please log in again.
operator-toc-label = Sections of this page
# A time the page could not read.
operator-none = —

## Submissions waiting for review.

operator-review-title = Businesses to review
operator-review-lead = Submissions by the sites' admins. Open the documents, then approve, or reject with a reason. The site's admin reads the reason.
operator-review-loading = Loading the submissions…
operator-review-count = Submissions waiting for review: { $count }
operator-review-empty = No submission waits for review.
operator-review-failed = The submissions could not be loaded: { $reason }
operator-field-business-number = Registration number
operator-field-business-name = Business name
operator-field-representative = Representative
operator-field-submitted = Submitted
operator-field-documents = Documents
# A document's link: $name is the file's, $size like "12 KB".
operator-document = { $name } ({ $size })
operator-new-tab = (opens in a new tab)
operator-documents-none = No documents.
operator-approve = Approve
operator-reject = Reject
operator-reject-reason = Reason for a rejection
operator-reject-reason-help = Only when rejecting. The site's admin reads it. At most { $max-reason } characters.
operator-deciding = Saving the decision…
# $site: the site's name; $number: the registration number.
operator-approved = The business of { $site } ({ $number }) is approved.
operator-rejected = The business of { $site } ({ $number }) is rejected.
operator-err-reason-required = Say why it is rejected: the site's admin needs to know what to correct.
operator-err-reason-long = A reason has at most { $max-reason } characters.
operator-decided-already = This submission was decided meanwhile. The list has been read again.
operator-decision-failed = The decision was not saved: { $reason }

## Every site, and free cash.

operator-sites-title = Sites
operator-sites-lead = Every site of the installation. Sites with a wallet can be granted free cash.
operator-sites-loading = Loading the sites…
operator-sites-count = Sites: { $count }
operator-sites-empty = There are no sites.
operator-sites-failed = The sites could not be loaded: { $reason }
operator-col-id = ID
operator-col-name = Name
operator-col-created = Created
operator-col-accounts = Accounts
operator-col-wallet = Wallet
operator-col-verification = Business verification
operator-col-grant = Free cash
operator-wallet-yes = Yes
operator-wallet-no = No
operator-state-none = Never submitted
operator-state-pending = Under review
operator-state-approved = Verified
operator-state-rejected = Rejected
operator-state-revoked = Revoked
# Verified, and a newer submission (a changed name, say) waits for review.
operator-state-verified-pending = Verified (a new submission under review)
operator-grant-open = Grant free cash
# The grant form's title: $site is the site's name.
operator-grant-legend = Free cash for { $site }
operator-grant-amount = Amount (KRW)
operator-grant-amount-help = From 1 to { $max-grant } won.
operator-grant-days = Valid for (days)
operator-grant-days-help = From 1 to { $max-days } days. What is left then expires.
operator-grant-reason = Reason
operator-grant-reason-help = The wallet's people read it in the notice e-mail and on the wallet page.
operator-grant-submit = Grant
operator-grant-close = Close
operator-granting = Granting…
# $expires: the day the grant ends.
operator-granted = { $amount } won granted to { $site }, usable until { $expires }.
operator-granted-before = This form has granted it already ({ $amount } won). To grant again, close the form and open it anew.
operator-grant-failed = Nothing was granted: { $reason }
operator-grant-no-wallet = This site has no wallet to grant to.
operator-refused = Correct the marked fields.
operator-err-grant-amount = A whole number from 1 to { $max-grant }.
operator-err-grant-days = A whole number from 1 to { $max-days }.
operator-err-required = Required.
# $max: the longest it may be.
operator-err-too-long = At most { $max } characters.
operator-err-control = It contains a character that cannot be used.
operator-err-other = { $reason }

## Prices.

operator-prices-title = Prices
operator-prices-lead = The price of one unit, VAT excluded (0 to { $max-price } won). A change applies from the next usage billed.
operator-prices-loading = Loading the prices…
operator-prices-count = Priced usage kinds: { $count }
operator-prices-empty = No usage kind is priced.
operator-prices-failed = The prices could not be loaded: { $reason }
operator-col-kind = Usage
operator-col-price = Price (KRW)
operator-col-source = Set by
operator-col-save = Save
operator-price-by-operator = The operator
operator-price-by-server = Server configuration
operator-price-save = Save
# The price field's name for screen readers: $kind is the usage kind in words.
operator-price-label = Price of { $kind } (KRW)
operator-price-save-label = Save the price of { $kind }
operator-price-saving = Saving…
operator-price-saved = The price of { $kind } is now { $amount } won.
operator-price-failed = Not saved: { $reason }
operator-err-price = A whole number from 0 to { $max-price }.

## Revoking a site's verification (from the sites' list).
operator-revoke-open = Revoke
# $site: the site's name.
operator-revoke-legend = Revoke the business verification of { $site }
operator-revoke-reason = Reason (the site's admin reads it)
operator-revoke-submit = Revoke verification
operator-err-revoke-reason = Say why the verification is revoked: the site's admin needs to know what to do.
operator-revoked = The business verification of { $site } is revoked. Its plugins and Event API stop.

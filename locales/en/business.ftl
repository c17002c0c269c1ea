### The site admin's business verification page (/admin/business; assets/business.js).
### $max-mb and $max-documents: the largest document and the most documents of one submission.

business-title = Business verification
business-crumb = { $site } · administration
business-lead = Features that need a verified business work once the platform operator has approved this site's business.
business-forbidden = Only the site's admin submits and reads the business verification.

## Where the business stands.

business-state-title = Status
business-loading = Loading…
business-verified = The business is verified.
business-not-verified = The business is not verified.
# $state: the latest submission's state in words; $when: when it was submitted.
business-latest = Latest submission: { $state } (submitted { $when })
business-latest-none = Nothing submitted yet. Submit the business with the form below.
# $reason: the operator's words.
business-rejected-reason = The operator's reason for rejecting it: { $reason }
business-pending-note = The operator is reviewing it. The decision will show here.
business-rejected-note = Read the reason, correct what it says and submit again.
# $reason: the operator's words.
business-revoked-reason = The operator's reason for revoking: { $reason }
business-revoked-note = Read the reason and submit again. Until then plugins and the Event API do not work.
business-state-pending = Under review
business-state-approved = Approved
business-state-rejected = Rejected
business-state-revoked = Verification revoked
# $reason is the server's answer, in words.
business-failed = Could not be loaded: { $reason }
business-login-again = Your login has ended. Please log in again.

## The submission form.

business-form-title = Submit for verification
business-form-lead = Upload the business registration certificate and any other document you were asked for: PDF, JPEG or PNG, at most { $max-mb } MB each, at most { $max-documents } of them.
business-form-blocked = A submission is under review, so no new one can be made now. Wait for the operator's decision.
business-field-number = Business registration number
business-field-number-help = Ten digits, with or without hyphens.
business-field-name = Business name
business-field-representative = Representative
business-field-documents = Documents
business-field-documents-help = 1 to { $max-documents } PDF, JPEG or PNG files of up to { $max-mb } MB each. Several can be chosen at once.
business-submit = Submit
business-submitting = Sending…
business-submitted = Submitted. The operator will review it.
business-refused = Not submitted: correct the marked fields.
business-submit-failed = Not submitted: { $reason }
business-conflict = A submission is under review already. Wait for the operator's decision.
business-err-number-format = Ten digits, like 123-45-67890.
business-err-number-check = Not a valid registration number: its last (check) digit does not match. Look for a mistyped digit.
business-err-required = Required.
# $max: the longest it may be.
business-err-too-long = At most { $max } characters.
business-err-control = It contains a character that cannot be used.
business-err-documents-none = Attach the business registration certificate as a PDF, JPEG or PNG file.
business-err-documents-many = At most { $max-documents } documents.
# $name: the file's name.
business-err-document-type = { $name }: only PDF, JPEG and PNG files are accepted.
business-err-document-large = { $name }: larger than { $max-mb } MB.
business-err-document-empty = { $name }: the file is empty.
business-err-too-large = The files are too large: at most { $max-mb } MB each.
business-err-other = { $reason }

## The submissions.

business-history-title = Submissions
business-col-submitted = Submitted
business-col-number = Registration number
business-col-name = Business name
business-col-representative = Representative
business-col-state = State
business-col-review = Review
business-col-documents = Documents
business-history-empty = No submissions yet.
# $when: when the operator decided.
business-reviewed = Decided { $when }
business-not-reviewed = Not yet decided
# A document's link: $name is the file's, $size like "12 KB".
business-document = { $name } ({ $size })
business-new-tab = (opens in a new tab)

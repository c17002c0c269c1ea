### The site admin's business verification page (/admin/business; assets/business.js).
### $max-mb and $max-documents: the largest document and the most documents of one submission.

business-title = 사업자 인증
business-crumb = { $site } · 관리
business-lead = 사업자 인증이 필요한 기능은 플랫폼 운영자가 이 사이트의 사업자를 승인한 뒤에 쓸 수 있습니다.
business-forbidden = 사업자 인증은 사이트 관리자만 신청하고 볼 수 있습니다.

## Where the business stands.

business-state-title = 인증 상태
business-loading = 불러오는 중…
business-verified = 사업자 인증이 완료되었습니다.
business-not-verified = 사업자 인증이 되어 있지 않습니다.
# $state: the latest submission's state in words; $when: when it was submitted.
business-latest = 최근 신청: { $state } ({ $when } 신청)
business-latest-none = 아직 신청하지 않았습니다. 아래 양식으로 신청하세요.
# $reason: the operator's words.
business-rejected-reason = 운영자의 반려 사유: { $reason }
business-pending-note = 운영자가 검토하고 있습니다. 결정되면 이 화면에 표시됩니다.
business-rejected-note = 반려 사유를 확인하고 고친 뒤 다시 신청하세요.
# $reason: the operator's words.
business-revoked-reason = 운영자의 인증 취소 사유: { $reason }
business-revoked-note = 취소 사유를 확인하고 다시 신청하세요. 그동안 플러그인과 이벤트 API는 동작하지 않습니다.
business-state-pending = 심사 중
business-state-approved = 승인됨
business-state-rejected = 반려됨
business-state-revoked = 인증 취소됨
# $reason is the server's answer, in words.
business-failed = 불러오지 못했습니다: { $reason }
business-login-again = 로그인이 끝났습니다. 다시 로그인해 주세요.

## The submission form.

business-form-title = 인증 신청
business-form-lead = 사업자등록증과 요청받은 다른 서류를 올리세요. PDF, JPEG 또는 PNG, 파일 하나에 최대 { $max-mb }MB, 최대 { $max-documents }개입니다.
business-form-blocked = 심사 중인 신청이 있어 지금은 새로 신청할 수 없습니다. 운영자의 결정을 기다려 주세요.
business-field-number = 사업자등록번호
business-field-number-help = 10자리 숫자입니다. 하이픈은 넣어도 빼도 됩니다.
business-field-name = 상호
business-field-representative = 대표자
business-field-documents = 서류
business-field-documents-help = PDF, JPEG, PNG 파일 1~{ $max-documents }개, 각 { $max-mb }MB까지. 여러 개를 한 번에 고를 수 있습니다.
business-submit = 신청
business-submitting = 보내는 중…
business-submitted = 신청했습니다. 운영자가 검토합니다.
business-refused = 신청하지 못했습니다. 표시된 항목을 고쳐 주세요.
business-submit-failed = 신청하지 못했습니다: { $reason }
business-conflict = 심사 중인 신청이 이미 있습니다. 운영자의 결정을 기다려 주세요.
business-err-number-format = 10자리 숫자로 적어 주세요(예: 123-45-67890).
business-err-number-check = 올바른 사업자등록번호가 아닙니다. 마지막 검증 숫자가 맞지 않으니 잘못 적은 숫자가 있는지 확인하세요.
business-err-required = 적어 주세요.
# $max: the longest it may be.
business-err-too-long = 최대 { $max }자입니다.
business-err-control = 쓸 수 없는 문자가 있습니다.
business-err-documents-none = 사업자등록증을 PDF, JPEG 또는 PNG 파일로 첨부하세요.
business-err-documents-many = 서류는 최대 { $max-documents }개입니다.
# $name: the file's name.
business-err-document-type = { $name }: PDF, JPEG, PNG 파일만 받습니다.
business-err-document-large = { $name }: { $max-mb }MB보다 큽니다.
business-err-document-empty = { $name }: 빈 파일입니다.
business-err-too-large = 파일이 너무 큽니다. 파일 하나에 최대 { $max-mb }MB입니다.
business-err-other = { $reason }

## The submissions.

business-history-title = 신청 내역
business-col-submitted = 신청 시각
business-col-number = 사업자등록번호
business-col-name = 상호
business-col-representative = 대표자
business-col-state = 상태
business-col-review = 검토
business-col-documents = 서류
business-history-empty = 신청 내역이 없습니다.
# $when: when the operator decided.
business-reviewed = { $when } 검토
business-not-reviewed = 검토 전
# A document's link: $name is the file's, $size like "12 KB".
business-document = { $name } ({ $size })
business-new-tab = (새 탭에서 열림)

### The platform operator's pages: the login (/operator/login; assets/operator-login.js) and the
### operator's page (/operator; assets/operator.js). Amounts arrive formatted ($amount "1,000").

## The login.

operator-login-title = 운영자 로그인
operator-login-heading = 플랫폼 운영자 로그인
operator-login-lead = 사이트 계정이 아니라, 설치 전체를 맡은 운영자가 로그인하는 곳입니다.
operator-login-login = 아이디
operator-login-password = 비밀번호
operator-login-submit = 로그인
operator-login-busy = 로그인하는 중…
operator-login-empty = 아이디와 비밀번호를 모두 입력해 주세요.
operator-login-wrong = 아이디 또는 비밀번호가 틀렸습니다.
# $seconds: how long to wait.
operator-login-throttled = 로그인 실패가 너무 많습니다. { $seconds }초 후에 다시 시도하세요.
# $reason is the server's answer, in words.
operator-login-failed = 로그인하지 못했습니다: { $reason }

## The operator's page.

operator-title = 플랫폼 운영
operator-crumb = 운영자 화면
operator-lead = 모든 사이트의 사업자 인증을 검토하고, 무상캐시를 지급하고, 요금을 정합니다.
operator-role = 플랫폼 운영자
operator-logout = 로그아웃
operator-logout-failed = 로그아웃하지 못했습니다: { $reason }
operator-login-again = 운영자 로그인이 끝났습니다. 다시 로그인해 주세요.
operator-toc-label = 이 화면의 구역
# A time the page could not read.
operator-none = —

## Submissions waiting for review.

operator-review-title = 검토할 사업자 인증
operator-review-lead = 사이트 관리자가 낸 신청입니다. 서류를 열어 확인한 뒤 승인하거나, 사유를 적어 반려하세요. 반려 사유는 사이트 관리자에게 보입니다.
operator-review-loading = 신청을 불러오는 중…
operator-review-count = 검토할 신청이 { $count }건 있습니다.
operator-review-empty = 검토할 신청이 없습니다.
operator-review-failed = 신청을 불러오지 못했습니다: { $reason }
operator-field-business-number = 사업자등록번호
operator-field-business-name = 상호
operator-field-representative = 대표자
operator-field-submitted = 신청 시각
operator-field-documents = 서류
# A document's link: $name is the file's, $size like "12 KB".
operator-document = { $name } ({ $size })
operator-new-tab = (새 탭에서 열림)
operator-documents-none = 서류가 없습니다.
operator-approve = 승인
operator-reject = 반려
operator-reject-reason = 반려 사유
operator-reject-reason-help = 반려할 때만 적습니다. 사이트 관리자가 읽습니다. 최대 { $max-reason }자.
operator-deciding = 처리하는 중…
# $site: the site's name; $number: the registration number.
operator-approved = { $site }({ $number })의 사업자 인증을 승인했습니다.
operator-rejected = { $site }({ $number })의 사업자 인증을 반려했습니다.
operator-err-reason-required = 반려하려면 사유를 적어 주세요. 사이트 관리자가 무엇을 고칠지 알 수 있어야 합니다.
operator-err-reason-long = 사유는 최대 { $max-reason }자입니다.
operator-decided-already = 그 사이에 처리된 신청입니다. 목록을 새로 읽었습니다.
operator-decision-failed = 처리하지 못했습니다: { $reason }

## Every site, and free cash.

operator-sites-title = 사이트
operator-sites-lead = 설치의 모든 사이트입니다. 월렛이 있는 사이트에는 무상캐시를 지급할 수 있습니다.
operator-sites-loading = 사이트를 불러오는 중…
operator-sites-count = 사이트 { $count }개
operator-sites-empty = 사이트가 없습니다.
operator-sites-failed = 사이트를 불러오지 못했습니다: { $reason }
operator-col-id = ID
operator-col-name = 이름
operator-col-created = 만든 날
operator-col-accounts = 계정
operator-col-wallet = 월렛
operator-col-verification = 사업자 인증
operator-col-grant = 무상캐시
operator-wallet-yes = 있음
operator-wallet-no = 없음
operator-state-none = 신청 없음
operator-state-pending = 심사 중
operator-state-approved = 인증됨
operator-state-rejected = 반려됨
operator-state-revoked = 인증 취소됨
# Verified, and a newer submission (a changed name, say) waits for review.
operator-state-verified-pending = 인증됨 (새 신청 심사 중)
operator-grant-open = 무상캐시 지급
# The grant form's title: $site is the site's name.
operator-grant-legend = { $site }에 무상캐시 지급
operator-grant-amount = 금액 (원)
operator-grant-amount-help = 1원부터 { $max-grant }원까지.
operator-grant-days = 유효 기간 (일)
operator-grant-days-help = 1일부터 { $max-days }일까지. 지나면 남은 무상캐시는 사라집니다.
operator-grant-reason = 사유
operator-grant-reason-help = 월렛의 사람들에게 알림 메일과 월렛 화면으로 보입니다.
operator-grant-submit = 지급
operator-grant-close = 닫기
operator-granting = 지급하는 중…
# $expires: the day the grant ends.
operator-granted = { $site }에 { $amount }원을 지급했습니다. { $expires }까지 쓸 수 있습니다.
operator-granted-before = 이 양식으로 이미 지급된 건입니다({ $amount }원). 새로 지급하려면 양식을 닫고 다시 여세요.
operator-grant-failed = 지급하지 못했습니다: { $reason }
operator-grant-no-wallet = 이 사이트에는 월렛이 없어 지급할 수 없습니다.
operator-refused = 표시된 항목을 고쳐 주세요.
operator-err-grant-amount = 1부터 { $max-grant }까지의 정수를 적어 주세요.
operator-err-grant-days = 1부터 { $max-days }까지의 정수를 적어 주세요.
operator-err-required = 적어 주세요.
# $max: the longest it may be.
operator-err-too-long = 최대 { $max }자입니다.
operator-err-control = 쓸 수 없는 문자가 있습니다.
operator-err-other = { $reason }

## Prices.

operator-prices-title = 요금
operator-prices-lead = 쓰임 하나의 값이며 부가세는 별도입니다(0원부터 { $max-price }원까지). 바꾸면 다음에 청구되는 쓰임부터 적용됩니다.
operator-prices-loading = 요금을 불러오는 중…
operator-prices-count = 요금 { $count }개
operator-prices-empty = 요금을 매기는 쓰임이 없습니다.
operator-prices-failed = 요금을 불러오지 못했습니다: { $reason }
operator-col-kind = 쓰임
operator-col-price = 값 (원)
operator-col-source = 정한 곳
operator-col-save = 저장
operator-price-by-operator = 운영자가 정함
operator-price-by-server = 서버 설정
operator-price-save = 저장
# The price field's name for screen readers: $kind is the usage kind in words.
operator-price-label = { $kind }의 값 (원)
operator-price-save-label = { $kind }의 값 저장
operator-price-saving = 저장하는 중…
operator-price-saved = { $kind }의 값을 { $amount }원으로 정했습니다.
operator-price-failed = 저장하지 못했습니다: { $reason }
operator-err-price = 0부터 { $max-price }까지의 정수를 적어 주세요.

## Revoking a site's verification (from the sites' list).
operator-revoke-open = 인증 취소
# $site: the site's name.
operator-revoke-legend = { $site }의 사업자 인증 취소
operator-revoke-reason = 취소 사유 (사이트 관리자에게 보입니다)
operator-revoke-submit = 인증 취소
operator-err-revoke-reason = 인증을 취소하려면 사유를 적어 주세요. 사이트 관리자가 무엇을 해야 할지 알 수 있어야 합니다.
operator-revoked = { $site }의 사업자 인증을 취소했습니다. 플러그인과 이벤트 API가 멈춥니다.

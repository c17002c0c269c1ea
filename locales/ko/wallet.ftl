### The wallet: its e-mail notices (crates/app/src/notices.rs) and its page (/wallet; assets/wallet.js).
### Amounts arrive formatted ($amount "1,000"); times in the site's zone ($expires "2026-12-31 00:00").

## E-mail notices. $wallet is the wallet's name.

mail-footer =
    이 메일은 Sangdam 월렛 「{ $wallet }」의 알림입니다. 받을 주소는 월렛 화면의 알림 받는 사람에서 바꿀 수 있습니다.
mail-low-balance-subject = [Sangdam] 「{ $wallet }」 잔액 부족 안내
mail-low-balance-body =
    월렛 「{ $wallet }」의 잔액이 부족하거나 미납 금액이 있어 과금 기능(이벤트 API 등)의 사용이 거절되었습니다.
    유상캐시를 충전하거나 자동결제 카드를 등록해 주세요. 미납 금액이 있으면 결제되는 즉시 다시 사용할 수 있습니다.
mail-paid-channel-connected-subject = [Sangdam] 「{ $wallet }」에 과금 대상 채널이 연결되었습니다
mail-paid-channel-connected-body =
    과금 대상 채널 { $channel }이(가) 월렛 「{ $wallet }」에 연결되었습니다. 이 채널의 메시지는 월렛에서 차감됩니다.
mail-cash-granted-subject = [Sangdam] 「{ $wallet }」에 무상캐시 { $amount }원이 지급되었습니다
mail-cash-granted-body =
    월렛 「{ $wallet }」에 무상캐시 { $amount }원이 지급되었습니다.
    유효기간: { $expires }까지. 무상캐시는 유상캐시보다 먼저, 유효기간이 빠른 것부터 사용됩니다.
mail-free-cash-expiring-subject = [Sangdam] 「{ $wallet }」의 무상캐시 { $amount }원이 곧 만료됩니다
mail-free-cash-expiring-body =
    월렛 「{ $wallet }」의 무상캐시 { $amount }원이 { $expires }에 만료됩니다. 만료된 무상캐시는 돌려받을 수 없습니다.
mail-auto-payment-succeeded-subject = [Sangdam] 「{ $wallet }」 자동결제 완료 ({ $amount }원)
mail-auto-payment-succeeded-body =
    월렛 「{ $wallet }」의 사용 금액 { $amount }원(부가세 포함 { $gross }원)이 자동결제 카드로 결제되었습니다.
mail-auto-payment-failed-subject = [Sangdam] 「{ $wallet }」 자동결제 실패 안내
mail-auto-payment-failed-body =
    월렛 「{ $wallet }」의 사용 금액 { $amount }원(부가세 포함 { $gross }원)을 결제 카드와 예비 카드 모두로 결제하지 못했습니다.
    미납 금액이 결제될 때까지 과금 기능(이벤트 API 등)이 중지됩니다. 결제는 매일 다시 시도합니다. 카드 상태(휴면, 한도, 유효기간)를 확인하거나 다른 카드를 등록해 주세요.
mail-payment-overdue-subject = [Sangdam] 「{ $wallet }」 { $days }일 이상 결제 실패 안내
mail-payment-overdue-body =
    월렛 「{ $wallet }」의 미납 금액 { $amount }원이 { $days }일째 결제되지 않았습니다.
    과금 기능은 결제될 때까지 중지됩니다. 월렛 화면에서 카드를 확인하거나 새 카드를 등록해 주세요.
mail-cash-charged-subject = [Sangdam] 「{ $wallet }」 유상캐시 { $amount }원 충전 완료
mail-cash-charged-body =
    월렛 「{ $wallet }」에 유상캐시 { $amount }원이 충전되었습니다(결제 금액 부가세 포함 { $gross }원).
mail-refund-completed-subject = [Sangdam] 「{ $wallet }」 환불 완료 ({ $amount }원)
mail-refund-completed-body =
    월렛 「{ $wallet }」의 사용하지 않은 유상캐시 { $amount }원(부가세 포함 { $gross }원)이 최근 결제 수단으로 환불되었습니다.
mail-invoice-issued-subject = [Sangdam] 「{ $wallet }」 { $period } 세금계산서 발행
mail-invoice-issued-body =
    { $period } 한 달 동안 소진된 금액의 세금계산서를 발행했습니다.
    사업자등록번호: { $business }
    공급가액: { $supply }원
    부가세: { $vat }원
    합계: { $total }원
    받는 주소: { $to }

## The page (/wallet; assets/wallet.js, wallet-people.js, wallet-records.js, wallet-format.js).
## Amounts arrive formatted with their unit ($amount "1,000원"), times in the site's zone.

nav-wallet = 월렛
wallet-title = 월렛
wallet-crumb = 월렛
wallet-lead = 과금 기능(이벤트 API 등)의 사용 금액은 무상캐시, 유상캐시, 결제 카드 순서로 차감됩니다. 금액은 모두 부가세 별도입니다.
wallet-toc-label = 월렛 목차
wallet-loading = 불러오는 중…
wallet-working = 처리 중…
wallet-saving = 저장 중…
wallet-saved = 저장했습니다.
wallet-refused = 저장하지 않았습니다. 항목별 안내를 확인하세요.
wallet-failed = 실패했습니다: { $reason }
wallet-login-again = 로그인이 끝났습니다. 다시 로그인해 주세요.
wallet-not-allowed = 이 작업은 월렛 마스터와 챗봇 마스터만 할 수 있습니다.
wallet-won = { $amount }원
wallet-col-actions = 작업
wallet-col-time = 일시
wallet-col-kind = 구분
wallet-col-usage-kind = 사용 항목
wallet-col-quantity = 수량
wallet-col-unit-price = 단가
wallet-col-amount = 금액
wallet-col-reference = 참조

# No wallet yet.
wallet-none-title = 월렛이 없습니다
wallet-none-admin = 이 사이트에는 아직 월렛이 없습니다. 월렛을 만들고 마스터를 정하면 마스터와 작업자가 카드를 등록하고 캐시를 충전할 수 있습니다.
wallet-none-other = 이 사이트의 월렛은 사이트 관리자(챗봇 마스터)가 만듭니다. 월렛이 없거나, 있더라도 회원님은 월렛의 마스터나 작업자가 아닙니다. 필요하면 관리자에게 작업자로 추가해 달라고 요청하세요.
wallet-create = 월렛 만들기
wallet-created = 월렛을 만들었습니다.
wallet-exists = 이 사이트에는 이미 월렛이 있습니다. 새로 고쳐 주세요.

# Who the caller is to the wallet.
wallet-role-line = 내 역할: { $role }
wallet-role-chatbot_master = 챗봇 마스터
wallet-role-master = 월렛 마스터
wallet-role-worker = 작업자

# Figures.
wallet-balances-title = 잔액
wallet-paid = 유상캐시
wallet-paid-help = 충전한 캐시입니다. 사용하지 않은 금액은 환불받을 수 있습니다.
wallet-free = 무상캐시
wallet-free-help = 지급받은 캐시입니다. 유상캐시보다 먼저, 유효기간이 빠른 것부터 쓰이며 환불되지 않습니다.
wallet-due = 결제 예정 금액
wallet-next-settlement = 카드로 쓴 금액입니다. 다음 자동결제: { $time }
wallet-receivable = 미납 금액
wallet-receivable-help = 자동결제에 실패한 금액입니다.
wallet-receivable-alert-title = 과금 기능이 중지되었습니다.
wallet-receivable-alert = 결제되지 않은 금액 { $amount }이 있어, 결제될 때까지 과금 기능(이벤트 API 등)을 쓸 수 없습니다. 카드 상태를 확인하거나 다른 카드를 결제 카드로 등록하세요. 결제는 매일 다시 시도합니다.
wallet-receivable-since = (최초 실패: { $time })
wallet-grants-title = 무상캐시 지급 내역
wallet-grant-reason = 지급 사유
wallet-grant-granted = 지급액
wallet-grant-remaining = 남은 금액
wallet-grant-expires = 유효기간(까지)

# Cards.
wallet-cards-title = 카드
wallet-cards-lead = 사용 금액은 결제 카드(1순위)로 결제하고, 실패하면 예비 카드(최대 { $max-backups }장)를 등록한 순서대로 시도합니다. 결제 카드는 월렛 마스터 본인의 카드여야 합니다.
wallet-cards-charged = 월렛의 결제 순서
wallet-cards-none = 월렛에 등록된 카드가 없습니다.
wallet-card-order = 순서
wallet-card-slot = 용도
wallet-card-owner = 소유자
wallet-card-company = 카드사
wallet-card-number = 카드 번호
wallet-card-refusal = 최근 거절 사유
wallet-card-registered-at = 등록일
wallet-card-registered = 카드를 등록했습니다. 내 카드에서 월렛에 사용할 수 있습니다.
wallet-card-in-wallet = 월렛에서
wallet-slot-payment = 결제 카드
wallet-slot-backup = 예비 카드
wallet-refusal-none = 없음
wallet-refusal-dormant = 휴면(정지된 카드)
wallet-refusal-over_limit = 한도 초과
wallet-refusal-expired = 유효기간 만료
wallet-refusal-refused = 카드사 거절
wallet-refusal-lost_or_stolen = 분실·도난 카드
wallet-refusal-invalid_card = 사용할 수 없는 카드
wallet-refusal-rejected = 결제사가 요청을 거절함
wallet-my-cards = 내 카드
wallet-my-cards-help = 내가 등록한 카드입니다(최대 { $max-cards }장). 카드 번호는 저장하지 않고 결제사의 자동결제 키만 보관합니다.
wallet-my-cards-none = 등록한 카드가 없습니다. 카드 등록 버튼으로 등록하세요.
wallet-in-wallet-payment = 결제 카드(1순위)
wallet-in-wallet-backup = 예비 카드({ $order }순위)
wallet-in-wallet-no = 사용 안 함
wallet-card-action = { $action }: { $card }
wallet-card-use-backup = 예비 카드로 사용
wallet-card-use-payment = 결제 카드로 사용
wallet-card-drop = 월렛에서 빼기
wallet-card-delete = 카드 삭제
wallet-card-delete-confirm = { $card } 카드를 삭제할까요? 이 카드를 쓰는 모든 월렛에서 빠집니다.
wallet-card-now-backup = 예비 카드로 등록했습니다.
wallet-card-now-payment = 결제 카드로 등록했습니다.
wallet-card-dropped = 월렛에서 뺐습니다.
wallet-card-deleted = 카드를 삭제했습니다.
wallet-card-register = 카드 등록
wallet-card-opening = 카드 등록 창으로 이동합니다…
wallet-card-registering = 카드를 등록하는 중…
wallet-card-not-yours = 다른 계정에서 시작한 카드 등록입니다. 카드 등록을 다시 시작하세요.
wallet-card-window-failed = 카드를 등록하지 못했습니다: { $message }
wallet-no-gateway = 이 서버에는 결제 대행사가 설정되어 있지 않아 카드를 쓸 수 없습니다. 운영자에게 문의하세요.

# Paid cash and refunds.
wallet-charge-title = 유상캐시 충전
wallet-charge-lead = { $min }원부터 { $max }원까지 원 단위로 충전합니다. 카드에는 부가세 10%를 더한 금액이 결제됩니다.
wallet-charge-amount = 충전 금액(원, 부가세 별도)
wallet-charge-gross = 카드 결제 금액(부가세 포함): { $amount }
wallet-charge-gross-none = 카드 결제 금액(부가세 포함): 금액을 입력하세요.
wallet-charge-card = 결제할 카드
wallet-charge-card-payment = { $card } (결제 카드)
wallet-charge-no-card = 먼저 카드를 등록하세요.
wallet-charge-submit = 충전
wallet-charge-submit-amount = { $amount } 결제하고 충전
wallet-charge-paying = 결제하는 중…
wallet-charge-done = 유상캐시 { $amount }을 충전했습니다(카드 결제 { $gross }).
wallet-charge-pending = 결제 확인 중입니다. 결제사의 응답을 기다리고 있으며, 확인되면 캐시가 들어옵니다.
wallet-charge-still-pending = 결제를 아직 확인하는 중입니다. 잠시 뒤 새로 고쳐 결제 내역을 확인하세요.
wallet-charge-refused = 카드사가 결제를 거절했습니다: { $reason }
wallet-refund-title = 환불
wallet-refund-lead = 사용하지 않은 유상캐시를 최근 충전한 결제부터 카드로 돌려줍니다(부가세 포함). 무상캐시는 환불되지 않습니다.
wallet-refund-what = 환불할 금액
wallet-refund-all = 남은 유상캐시 전부
wallet-refund-part = 일부 금액
wallet-refund-amount = 환불 금액(원, 부가세 별도)
wallet-refund-submit = 환불
wallet-refund-confirm = 유상캐시 { $amount }을 환불할까요?
wallet-refund-done = 유상캐시 { $amount }을 환불했습니다.

# History.
wallet-history-title = 사용 내역
wallet-history-from = 시작일
wallet-history-to = 종료일
wallet-history-kind = 구분
wallet-history-usage-kind = 사용 항목
wallet-history-all = 전체
wallet-history-apply = 조회
wallet-history-xlsx = 엑셀(xlsx) 내려받기
wallet-history-more = 더 보기
wallet-history-empty = 내역이 없습니다.
wallet-history-payment = 결제 { $id }
wallet-kind-cash_charged = 유상캐시 충전
wallet-kind-free_granted = 무상캐시 지급
wallet-kind-usage = 사용
wallet-kind-settled = 자동결제
wallet-kind-settlement_failed = 자동결제 실패(미납)
wallet-kind-receivable_paid = 미납 결제
wallet-kind-free_expired = 무상캐시 만료
wallet-kind-refunded = 환불
wallet-usage-event_message = 이벤트 메시지

# Statement.
wallet-statement-title = 월별 명세서
wallet-statement-month = 월
wallet-statement-show = 보기
wallet-statement-of = { $month } 명세서
wallet-statement-figures = 기초와 기말 잔액
wallet-statement-figure = 항목
wallet-statement-opening = 월초
wallet-statement-closing = 월말
wallet-statement-consumed-total = 소진 금액(세금계산서 대상, 공급가액)
wallet-statement-vat = 부가세
wallet-statement-invoiced = 세금계산서 합계
wallet-statement-free-used = 무상캐시 사용(세금계산서 제외)
wallet-statement-lines = 거래
wallet-statement-empty = 이 달에는 거래가 없습니다.
wallet-statement-card = 카드 결제
wallet-statement-consumed = 소진

# Payments.
wallet-payments-title = 결제 내역
wallet-payments-lead = 카드로 결제한 충전, 자동결제, 미납 결제와 그 결과입니다.
wallet-payments-empty = 결제 내역이 없습니다.
wallet-payment-purpose = 용도
wallet-payment-supply = 공급가액
wallet-payment-amount = 결제 금액(부가세 포함)
wallet-payment-state = 상태
wallet-payment-refusal = 거절 사유
wallet-payment-refunded = 환불액
wallet-purpose-cash = 유상캐시 충전
wallet-purpose-settlement = 자동결제
wallet-purpose-receivable = 미납 결제
wallet-payment-state-pending = 확인 중
wallet-payment-state-done = 완료
wallet-payment-state-refused = 거절

# Invoices.
wallet-invoices-title = 세금계산서
wallet-invoices-lead = 사업자 월렛은 매월 초 지난달 소진 금액(무상캐시 제외)으로 세금계산서가 발행됩니다.
wallet-invoices-empty = 발행된 세금계산서가 없습니다.
wallet-invoice-period = 대상 월
wallet-invoice-issued = 작성일
wallet-invoice-to = 공급받는 자
wallet-invoice-supply = 공급가액
wallet-invoice-vat = 세액
wallet-invoice-total = 합계
wallet-invoice-download = 내려받기
wallet-invoice-download-label = { $period } 세금계산서 내려받기

# Notices sent.
wallet-emails-title = 알림 메일
wallet-emails-lead = 월렛 사람들에게 보낸(또는 보낼) 알림입니다.
wallet-emails-empty = 보낸 알림이 없습니다.
wallet-email-kind = 종류
wallet-email-to = 받는 사람
wallet-email-subject = 제목
wallet-email-state = 상태
wallet-email-state-pending = 보내는 중
wallet-email-state-sent = 보냄
wallet-email-state-failed = 실패
wallet-email-kind-low_balance = 잔액 부족
wallet-email-kind-paid_channel_connected = 과금 채널 연결
wallet-email-kind-cash_granted = 무상캐시 지급
wallet-email-kind-free_cash_expiring = 무상캐시 만료 예정
wallet-email-kind-auto_payment_succeeded = 자동결제 완료
wallet-email-kind-auto_payment_failed = 자동결제 실패
wallet-email-kind-payment_overdue = 장기 미납
wallet-email-kind-cash_charged = 유상캐시 충전
wallet-email-kind-refund_completed = 환불 완료
wallet-email-kind-invoice_issued = 세금계산서 발행

# Details.
wallet-details-title = 월렛 정보
wallet-details-save = 월렛 정보 저장
wallet-field-name = 월렛 이름
wallet-field-kind = 월렛 종류
wallet-type-business = 사업자
wallet-type-personal = 개인
wallet-type-help = 사업자 월렛은 매월 세금계산서를 받습니다.
wallet-field-business-number = 사업자등록번호
wallet-field-business-number-help = 숫자 10자리(123-45-67890 형식도 됩니다)
wallet-field-business-name = 상호
wallet-field-representative = 대표자
wallet-field-invoice-email = 세금계산서 받을 이메일
wallet-field-invoice-email-help = 매월 세금계산서가 이 주소로 갑니다.
wallet-field-master = 월렛 마스터
wallet-field-master-help = 마스터는 월렛 정보와 사람, 결제 카드를 관리하고 환불할 수 있습니다. 결제 카드는 마스터 본인의 카드입니다.
wallet-err-required = 입력하세요.
wallet-err-email = 이메일 주소 형식이 아닙니다.
wallet-err-too-long = 최대 { $max }자입니다.
wallet-err-control = 쓸 수 없는 문자가 있습니다.
wallet-err-kind = 사업자 또는 개인을 고르세요.
wallet-err-business-format = 사업자등록번호는 숫자 10자리입니다(예: 123-45-67890).
wallet-err-business-check = 올바른 사업자등록번호가 아닙니다. 마지막 검증 숫자가 맞지 않으니 잘못 입력한 숫자가 있는지 확인하세요.
wallet-err-master = 이 사이트의 활성 계정을 고르세요.
wallet-err-account = 이 사이트의 활성 계정이 아닙니다.
wallet-err-amount = { $min-charge }원부터 { $max-charge }원 사이의 금액을 원 단위로 입력하세요.
wallet-err-refund-amount = 1원 이상의 금액을 원 단위로 입력하세요.
wallet-err-day = 날짜를 YYYY-MM-DD 형식으로 입력하세요.
wallet-err-month = 월을 YYYY-MM 형식으로 입력하세요.
wallet-err-other = 올바르지 않습니다({ $reason }).

# People.
wallet-people-title = 월렛 사람들
wallet-people-lead = 챗봇 마스터(사이트 관리자), 월렛 마스터, 작업자가 월렛을 보고 캐시를 충전할 수 있습니다. 알림 이메일을 비워 두면 알림을 받지 않습니다.
wallet-person-name = 이름
wallet-person-role = 역할
wallet-person-email = 알림 이메일
wallet-person-me = 나
wallet-email-label = { $name }의 알림 이메일
wallet-email-save = 저장
wallet-email-none = 받지 않음
wallet-email-saved = { $name }의 알림 이메일을 저장했습니다.
wallet-email-cleared = { $name }은(는) 이제 알림을 받지 않습니다.
wallet-worker-add-label = 작업자 추가
wallet-worker-add = 추가
wallet-worker-none = 추가할 수 있는 계정이 없습니다.
wallet-worker-added = { $name }을(를) 작업자로 추가했습니다.
wallet-worker-remove = 작업자에서 빼기
wallet-worker-remove-label = { $name }을(를) 작업자에서 빼기
wallet-worker-removed = { $name }을(를) 작업자에서 뺐습니다.

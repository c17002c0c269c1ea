### The wallet: its e-mail notices (crates/app/src/notices.rs) and its page (/wallet; assets/wallet.js).
### Amounts arrive formatted ($amount "1,000"); times in the site's zone ($expires "2026-12-31 00:00").

## E-mail notices. $wallet is the wallet's name.

mail-footer =
    이 메일은 Sangdam 월렛 { $wallet }의 알림입니다. 받을 주소는 월렛 화면의 알림 받는 사람에서 바꿀 수 있습니다.
mail-low-balance-subject = [Sangdam] { $wallet } 월렛 잔액 부족 안내
mail-low-balance-body =
    { $wallet } 월렛의 잔액이 부족하거나 미납 금액이 있어 과금 기능(이벤트 API 등)의 사용이 거절되었습니다.
    유상캐시를 충전하거나 자동결제 카드를 등록해 주세요. 미납 금액이 있으면 결제되는 즉시 다시 사용할 수 있습니다.
mail-paid-channel-connected-subject = [Sangdam] { $wallet } 월렛에 과금 대상 채널이 연결되었습니다
mail-paid-channel-connected-body =
    과금 대상 채널 { $channel }이(가) { $wallet } 월렛에 연결되었습니다. 이 채널의 메시지는 월렛에서 차감됩니다.
mail-cash-granted-subject = [Sangdam] { $wallet } 월렛에 무상캐시 { $amount }원이 지급되었습니다
mail-cash-granted-body =
    { $wallet } 월렛에 무상캐시 { $amount }원이 지급되었습니다.
    유효기간: { $expires }까지. 무상캐시는 유상캐시보다 먼저, 유효기간이 빠른 것부터 사용됩니다.
mail-free-cash-expiring-subject = [Sangdam] { $wallet } 월렛의 무상캐시 { $amount }원이 곧 만료됩니다
mail-free-cash-expiring-body =
    { $wallet } 월렛의 무상캐시 { $amount }원이 { $expires }에 만료됩니다. 만료된 무상캐시는 돌려받을 수 없습니다.
mail-auto-payment-succeeded-subject = [Sangdam] { $wallet } 월렛 자동결제 완료 ({ $amount }원)
mail-auto-payment-succeeded-body =
    { $wallet } 월렛의 사용 금액 { $amount }원(부가세 포함 { $gross }원)이 자동결제 카드로 결제되었습니다.
mail-auto-payment-failed-subject = [Sangdam] { $wallet } 월렛 자동결제 실패 안내
mail-auto-payment-failed-body =
    { $wallet } 월렛의 사용 금액 { $amount }원(부가세 포함 { $gross }원)을 결제 카드와 예비 카드 모두로 결제하지 못했습니다.
    미납 금액이 결제될 때까지 과금 기능(이벤트 API 등)이 중지됩니다. 결제는 매일 다시 시도합니다. 카드 상태(휴면, 한도, 유효기간)를 확인하거나 다른 카드를 등록해 주세요.
mail-payment-overdue-subject = [Sangdam] { $wallet } 월렛 { $days }일 이상 결제 실패 안내
mail-payment-overdue-body =
    { $wallet } 월렛의 미납 금액 { $amount }원이 { $days }일째 결제되지 않았습니다.
    과금 기능은 결제될 때까지 중지됩니다. 월렛 화면에서 카드를 확인하거나 새 카드를 등록해 주세요.
mail-cash-charged-subject = [Sangdam] { $wallet } 월렛 유상캐시 { $amount }원 충전 완료
mail-cash-charged-body =
    { $wallet } 월렛에 유상캐시 { $amount }원이 충전되었습니다(결제 금액 부가세 포함 { $gross }원).
mail-refund-completed-subject = [Sangdam] { $wallet } 월렛 환불 완료 ({ $amount }원)
mail-refund-completed-body =
    { $wallet } 월렛의 사용하지 않은 유상캐시 { $amount }원(부가세 포함 { $gross }원)이 최근 결제 수단으로 환불되었습니다.
mail-invoice-issued-subject = [Sangdam] { $wallet } 월렛 { $period } 세금계산서 발행
mail-invoice-issued-body =
    { $period } 한 달 동안 소진된 금액의 세금계산서를 발행했습니다.
    사업자등록번호: { $business }
    공급가액: { $supply }원
    부가세: { $vat }원
    합계: { $total }원
    받는 주소: { $to }

### The wallet: its e-mail notices (crates/app/src/notices.rs) and its page (/wallet; assets/wallet.js).
### Amounts arrive formatted ($amount "1,000"); times in the site's zone ($expires "2026-12-31 00:00").

## E-mail notices. $wallet is the wallet's name.

mail-footer =
    This is a notice of the Sangdam wallet { $wallet }. Change where you get it under notice recipients on the wallet page.
mail-low-balance-subject = [Sangdam] Low balance in the { $wallet } wallet
mail-low-balance-body =
    A billed feature (the Event API, …) was refused: the { $wallet } wallet has too little cash or an unpaid amount.
    Charge paid cash or register an auto-payment card. Once an unpaid amount is paid, billed features work again.
mail-paid-channel-connected-subject = [Sangdam] A paid channel was connected to the { $wallet } wallet
mail-paid-channel-connected-body =
    The paid channel { $channel } was connected to the { $wallet } wallet; its messages are billed to the wallet.
mail-cash-granted-subject = [Sangdam] { $amount } KRW of free cash granted to { $wallet }
mail-cash-granted-body =
    { $amount } KRW of free cash was granted to the { $wallet } wallet, valid until { $expires }.
    Free cash is used before paid cash, the grant expiring soonest first.
mail-free-cash-expiring-subject = [Sangdam] { $amount } KRW of free cash in { $wallet } expires soon
mail-free-cash-expiring-body =
    { $amount } KRW of free cash in the { $wallet } wallet expires at { $expires }. Expired free cash is not returned.
mail-auto-payment-succeeded-subject = [Sangdam] Auto-payment of { $amount } KRW for { $wallet }
mail-auto-payment-succeeded-body =
    The { $wallet } wallet's usage of { $amount } KRW ({ $gross } KRW with VAT) was charged to its auto-payment card.
mail-auto-payment-failed-subject = [Sangdam] Auto-payment failed for { $wallet }
mail-auto-payment-failed-body =
    The { $wallet } wallet's usage of { $amount } KRW ({ $gross } KRW with VAT) could not be charged to the payment card or any backup card.
    Billed features (the Event API, …) stop until it is paid; the charge is tried again every day. Check the cards (dormant, limit, expiry) or register another.
mail-payment-overdue-subject = [Sangdam] Payment for { $wallet } failing for { $days } days
mail-payment-overdue-body =
    The { $wallet } wallet's unpaid { $amount } KRW has not been paid for { $days } days.
    Billed features stay stopped until it is. Check the cards or register a new one on the wallet page.
mail-cash-charged-subject = [Sangdam] { $amount } KRW of paid cash charged to { $wallet }
mail-cash-charged-body =
    { $amount } KRW of paid cash was added to the { $wallet } wallet ({ $gross } KRW paid with VAT).
mail-refund-completed-subject = [Sangdam] Refund of { $amount } KRW from { $wallet }
mail-refund-completed-body =
    { $amount } KRW of unused paid cash ({ $gross } KRW with VAT) in the { $wallet } wallet was refunded to the latest payment method.
mail-invoice-issued-subject = [Sangdam] Tax invoice of { $wallet } for { $period }
mail-invoice-issued-body =
    The tax invoice for what was consumed in { $period } was issued.
    Business registration number: { $business }
    Supply value: { $supply } KRW
    VAT: { $vat } KRW
    Total: { $total } KRW
    Sent to: { $to }

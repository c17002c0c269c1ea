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

## The page (/wallet; assets/wallet.js, wallet-people.js, wallet-records.js, wallet-format.js).
## Amounts arrive formatted with their unit ($amount "1,000 KRW"), times in the site's zone.

nav-wallet = Wallet
wallet-title = Wallet
wallet-crumb = Wallet
wallet-lead = What billed features (the Event API and others) cost is taken from free cash, then paid cash, then the payment card. All amounts exclude VAT.
wallet-toc-label = Wallet sections
wallet-loading = Loading…
wallet-working = Working…
wallet-saving = Saving…
wallet-saved = Saved.
wallet-refused = Not saved. See what each field says.
wallet-failed = Failed: { $reason }
wallet-login-again = Your login has ended. Please log in again.
wallet-not-allowed = Only the wallet's master and the chatbot masters can do this.
wallet-won = { $amount } KRW
wallet-col-actions = Actions
wallet-col-time = Time
wallet-col-kind = Kind
wallet-col-usage-kind = Usage
wallet-col-quantity = Quantity
wallet-col-unit-price = Unit price
wallet-col-amount = Amount
wallet-col-reference = Reference

# No wallet yet.
wallet-none-title = No wallet
wallet-none-admin = This site has no wallet yet. Make it and choose its master: the master and the workers can then register cards and buy cash.
wallet-none-other = The site's admin (the chatbot master) makes the site's wallet. There is none, or you are not its master or one of its workers. Ask the admin to add you as a worker if you need it.
wallet-create = Make the wallet
wallet-created = The wallet is made.
wallet-exists = This site already has a wallet. Please reload.

# Who the caller is to the wallet.
wallet-role-line = Your role: { $role }
wallet-role-chatbot_master = Chatbot master
wallet-role-master = Wallet master
wallet-role-worker = Worker

# Figures.
wallet-balances-title = Balances
wallet-paid = Paid cash
wallet-paid-help = Cash bought. What is left unused can be refunded.
wallet-free = Free cash
wallet-free-help = Cash granted. Spent before paid cash, soonest expiry first; never refunded.
wallet-due = Amount due
wallet-next-settlement = Usage paid by card. Next automatic payment: { $time }
wallet-receivable = Unpaid
wallet-receivable-help = Automatic payments that failed.
wallet-receivable-alert-title = Billed features are stopped.
wallet-receivable-alert = { $amount } is unpaid: billed features (the Event API and others) cannot be used until it is paid. Check the card, or make another card the payment card. The payment is tried again every day.
wallet-receivable-since = (first failed: { $time })
wallet-grants-title = Free cash granted
wallet-grant-reason = Reason
wallet-grant-granted = Granted
wallet-grant-remaining = Left
wallet-grant-expires = Usable until

# Cards.
wallet-cards-title = Cards
wallet-cards-lead = Usage is charged to the payment card first; when it fails, the backup cards (at most { $max-backups }) are tried in the order they were added. The payment card is the wallet master's own card.
wallet-cards-charged = The wallet's charging order
wallet-cards-none = The wallet has no cards.
wallet-card-order = Order
wallet-card-slot = Use
wallet-card-owner = Owner
wallet-card-company = Card company
wallet-card-number = Card number
wallet-card-refusal = Last refusal
wallet-card-registered-at = Registered
wallet-card-registered = The card is registered. Use it for the wallet from your cards.
wallet-card-in-wallet = In the wallet
wallet-slot-payment = Payment card
wallet-slot-backup = Backup card
wallet-refusal-none = None
wallet-refusal-dormant = Dormant (suspended card)
wallet-refusal-over_limit = Over the limit
wallet-refusal-expired = Expired
wallet-refusal-refused = Refused by the card company
wallet-refusal-lost_or_stolen = Lost or stolen
wallet-refusal-invalid_card = Card no longer usable
wallet-refusal-rejected = Request rejected by the gateway
wallet-my-cards = My cards
wallet-my-cards-help = The cards you registered (at most { $max-cards }). No card number is stored, only the gateway's billing key.
wallet-my-cards-none = You have registered no card. Register one with the button below.
wallet-in-wallet-payment = Payment card (1st)
wallet-in-wallet-backup = Backup card (#{ $order })
wallet-in-wallet-no = Not used
wallet-card-action = { $action }: { $card }
wallet-card-use-backup = Use as backup
wallet-card-use-payment = Use as payment card
wallet-card-drop = Remove from wallet
wallet-card-delete = Delete card
wallet-card-delete-confirm = Delete the card { $card }? It leaves every wallet that uses it.
wallet-card-now-backup = It is now a backup card.
wallet-card-now-payment = It is now the payment card.
wallet-card-dropped = Removed from the wallet.
wallet-card-deleted = The card is deleted.
wallet-card-register = Register a card
wallet-card-opening = Opening the card registration window…
wallet-card-registering = Registering the card…
wallet-card-not-yours = This card registration was started by another account. Please start it again.
wallet-card-window-failed = The card was not registered: { $message }
wallet-no-gateway = This server has no payment gateway configured, so cards cannot be used. Please ask its operator.

# Paid cash and refunds.
wallet-charge-title = Buy paid cash
wallet-charge-lead = From { $min } to { $max } KRW, in whole won. The card pays the amount with 10% VAT added.
wallet-charge-amount = Amount to buy (KRW, VAT excluded)
wallet-charge-gross = The card pays (VAT included): { $amount }
wallet-charge-gross-none = The card pays (VAT included): enter an amount.
wallet-charge-card = Card to pay with
wallet-charge-card-payment = { $card } (payment card)
wallet-charge-no-card = Register a card first.
wallet-charge-submit = Buy
wallet-charge-submit-amount = Pay { $amount } and buy
wallet-charge-paying = Paying…
wallet-charge-done = { $amount } of paid cash bought (the card paid { $gross }).
wallet-charge-pending = Confirming the payment: the gateway has not answered yet. The cash arrives once it is confirmed.
wallet-charge-still-pending = The payment is still being confirmed. Reload in a moment and check the payments.
wallet-charge-refused = The card company refused the payment: { $reason }
wallet-refund-title = Refund
wallet-refund-lead = Unused paid cash goes back to the cards of the latest purchases first (with VAT). Free cash is never refunded.
wallet-refund-what = What to refund
wallet-refund-all = All paid cash left
wallet-refund-part = An amount
wallet-refund-amount = Amount to refund (KRW, VAT excluded)
wallet-refund-submit = Refund
wallet-refund-confirm = Refund { $amount } of paid cash?
wallet-refund-done = { $amount } of paid cash refunded.

# History.
wallet-history-title = History
wallet-history-from = From
wallet-history-to = To
wallet-history-kind = Kind
wallet-history-usage-kind = Usage
wallet-history-all = All
wallet-history-apply = Show
wallet-history-xlsx = Download Excel (xlsx)
wallet-history-more = More
wallet-history-empty = Nothing here.
wallet-history-payment = Payment { $id }
wallet-kind-cash_charged = Paid cash bought
wallet-kind-free_granted = Free cash granted
wallet-kind-usage = Usage
wallet-kind-settled = Automatic payment
wallet-kind-settlement_failed = Automatic payment failed (unpaid)
wallet-kind-receivable_paid = Unpaid amount paid
wallet-kind-free_expired = Free cash expired
wallet-kind-refunded = Refund
wallet-usage-event_message = Event message

# Statement.
wallet-statement-title = Monthly statement
wallet-statement-month = Month
wallet-statement-show = Show
wallet-statement-of = Statement of { $month }
wallet-statement-figures = Opening and closing balances
wallet-statement-figure = Figure
wallet-statement-opening = Opening
wallet-statement-closing = Closing
wallet-statement-consumed-total = Consumed (invoiced, supply value)
wallet-statement-vat = VAT
wallet-statement-invoiced = Invoice total
wallet-statement-free-used = Free cash used (not invoiced)
wallet-statement-lines = Movements
wallet-statement-empty = No movements this month.
wallet-statement-card = Card paid
wallet-statement-consumed = Consumed

# Payments.
wallet-payments-title = Payments
wallet-payments-lead = Cash bought, automatic payments and unpaid amounts charged to cards, with how each went.
wallet-payments-empty = No payments.
wallet-payment-purpose = Purpose
wallet-payment-supply = Supply value
wallet-payment-amount = Paid (VAT included)
wallet-payment-state = State
wallet-payment-refusal = Refusal
wallet-payment-refunded = Refunded
wallet-purpose-cash = Paid cash
wallet-purpose-settlement = Automatic payment
wallet-purpose-receivable = Unpaid amount
wallet-payment-state-pending = Confirming
wallet-payment-state-done = Done
wallet-payment-state-refused = Refused

# Invoices.
wallet-invoices-title = Tax invoices
wallet-invoices-lead = A business wallet gets a tax invoice early each month for what the month before consumed (free cash excluded).
wallet-invoices-empty = No invoices.
wallet-invoice-period = Month
wallet-invoice-issued = Issued
wallet-invoice-to = Recipient
wallet-invoice-supply = Supply value
wallet-invoice-vat = VAT
wallet-invoice-total = Total
wallet-invoice-download = Download
wallet-invoice-download-label = Download the tax invoice of { $period }

# Notices sent.
wallet-emails-title = Notices
wallet-emails-lead = The e-mails the wallet's people were sent (or are about to be).
wallet-emails-empty = No notices.
wallet-email-kind = Kind
wallet-email-to = To
wallet-email-subject = Subject
wallet-email-state = State
wallet-email-state-pending = Sending
wallet-email-state-sent = Sent
wallet-email-state-failed = Failed
wallet-email-kind-low_balance = Low balance
wallet-email-kind-paid_channel_connected = Billed channel connected
wallet-email-kind-cash_granted = Free cash granted
wallet-email-kind-free_cash_expiring = Free cash expiring
wallet-email-kind-auto_payment_succeeded = Automatic payment done
wallet-email-kind-auto_payment_failed = Automatic payment failed
wallet-email-kind-payment_overdue = Payment overdue
wallet-email-kind-cash_charged = Paid cash bought
wallet-email-kind-refund_completed = Refund done
wallet-email-kind-invoice_issued = Tax invoice issued

# Details.
wallet-details-title = Wallet details
wallet-details-save = Save the details
wallet-field-name = Wallet name
wallet-field-kind = Wallet kind
wallet-type-business = Business
wallet-type-personal = Personal
wallet-type-help = A business wallet gets a tax invoice every month.
wallet-field-business-number = Business registration number
wallet-field-business-number-help = 10 digits (123-45-67890 also works)
wallet-field-business-name = Business name
wallet-field-representative = Representative
wallet-field-invoice-email = E-mail for tax invoices
wallet-field-invoice-email-help = The monthly tax invoice goes to this address.
wallet-field-master = Wallet master
wallet-field-master-help = The master changes the wallet's details, people and payment card, and refunds. The payment card is the master's own.
wallet-err-required = Required.
wallet-err-email = Not an e-mail address.
wallet-err-too-long = At most { $max } characters.
wallet-err-control = Has a character that cannot be used.
wallet-err-kind = Choose business or personal.
wallet-err-business-format = A business registration number has 10 digits (e.g. 123-45-67890).
wallet-err-business-check = Not a valid business registration number: the last (check) digit does not match, so a digit is mistyped.
wallet-err-master = Choose an active account of this site.
wallet-err-account = Not an active account of this site.
wallet-err-amount = Enter a whole amount from { $min-charge } to { $max-charge } KRW.
wallet-err-refund-amount = Enter a whole amount of at least 1 KRW.
wallet-err-day = Enter a day as YYYY-MM-DD.
wallet-err-month = Enter a month as YYYY-MM.
wallet-err-other = Not accepted ({ $reason }).

# People.
wallet-people-title = People of the wallet
wallet-people-lead = The chatbot masters (the site's admins), the wallet master and the workers see the wallet and buy cash. An empty notice e-mail gets no notices.
wallet-person-name = Name
wallet-person-role = Role
wallet-person-email = Notice e-mail
wallet-person-me = you
wallet-email-label = Notice e-mail of { $name }
wallet-email-save = Save
wallet-email-none = None
wallet-email-saved = The notice e-mail of { $name } is saved.
wallet-email-cleared = { $name } gets no notices now.
wallet-worker-add-label = Add a worker
wallet-worker-add = Add
wallet-worker-none = No account left to add.
wallet-worker-added = { $name } is now a worker.
wallet-worker-remove = Remove worker
wallet-worker-remove-label = Remove { $name } from the workers
wallet-worker-removed = { $name } is no longer a worker.

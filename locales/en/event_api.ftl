### The Event API's section of the business page (assets/event-api.js).

eventapi-title = Event API
eventapi-lead = The business's server sends customers a message by an event name (the shape of Kakao's Event API). Only delivered messages are billed to the wallet, each.
eventapi-ready = Event API requests are accepted.
eventapi-not-ready = Requests are accepted once the site has what is listed below.
# $events: the event names, comma separated.
eventapi-events = Blocks that send an event: { $events }
eventapi-events-none = No block sends an event. Give a chatbot block an Event API name.
eventapi-key-title = API key
eventapi-key-help = Sent as "KakaoAK key" in the request's Authorization header. A new key stops the one before at once.
eventapi-key-issued = A key is issued (it cannot be shown again).
eventapi-key-none = No key yet.
eventapi-issue = Issue a new key
eventapi-issue-confirm = Requests with the current key will be refused at once. Issue a new key?
eventapi-key-once = The new key (it is not shown again once you leave)
eventapi-kakao-title = KakaoTalk channel
eventapi-kakao-bot = Kakao bot ID
eventapi-kakao-bot-help = The bot's ID in Kakao's chatbot admin center. Empty: KakaoTalk recipients fail.
eventapi-kakao-key = Kakao app REST API key
eventapi-kakao-key-help = A saved key is never shown again. Leave it empty to keep the saved one.
eventapi-kakao-key-set = A REST API key is saved.
eventapi-reply-event = Event for late agent replies
eventapi-reply-event-help = An agent reply written after the callback minute goes out as this event (billed each). Bind the event in Kakao's admin center to a block that shows data.text. Empty: it goes out with the customer's next message.
eventapi-save = Save
eventapi-saved = Saved.
# $reason is the server's answer, in words.
eventapi-failed = Could not do it: { $reason }
requirement-business_verified = A verified business (submit it above).
requirement-wallet = A wallet (make it on the wallet page).
requirement-no_receivable = The wallet's unpaid amount must be paid first.

### The customer chat window (/chat/{site_id}) and its script (assets/chat.js).

# After the site's name in the window title.
chat-title = Chat
chat-conversation = Conversation
chat-closed-note = This consultation has ended. If you need anything else, start a new one.
chat-new-consultation = Start a new consultation
chat-message-label = Message
chat-message-placeholder = Write a message
chat-send = Send
chat-send-hint = Enter sends; Shift+Enter starts a new line.
# The paperclip next to the message input (its label, read by screen readers and shown on hover).
chat-attach = Attach a file
# Over the window while a file is dragged onto it.
chat-drop-hint = Drop here to send the file

## The status line.

chat-status-connecting = Connecting…
chat-status-online = Connected
chat-status-offline = Connection lost. Reconnecting…
chat-status-waiting = Waiting for an agent
chat-status-bot = The chatbot is answering
chat-status-in-progress = An agent is with you
chat-status-in-progress-named = You are talking with { $name }
chat-status-closed = This consultation has ended
chat-status-unavailable = The chat cannot be opened right now. Please try again in a moment.

## Who wrote a message, and where the customer's own message is.

chat-sender-me = Me
chat-sender-agent = Agent
chat-sender-agent-named = { $name } (agent)
chat-sender-bot = Chatbot
chat-sender-system = Notice
chat-message-sending = Sending…
chat-message-queued = Will be sent when connected
chat-message-failed = Not sent

## Images and files the customer sends ($percent: how much has gone; $reason: why it was not sent).

chat-message-uploading = Sending… { $percent }%
chat-message-file-failed = Not sent: { $reason }
chat-message-file-offline = The connection was lost. Send it again once connected.
chat-message-file-closed = This consultation has ended. Start a new one, then send it again.
chat-message-file-too-large = The file is too large.
chat-message-retry = Send again
# After the name of an image or file link, for screen readers.
chat-message-new-tab = (new tab)

## The page of an address that is no chat.

chat-missing-title = Chat not found
chat-missing-heading = This chat does not exist
chat-missing-text = The address is wrong or the chat is no longer in use. Please open the chat again from the site that showed it to you.

## The customer's place in the queue while they wait ($position: 1 is next; $minutes: the estimate).

chat-queue-place = You are number { $position } in the queue
chat-queue-place-estimate = You are number { $position } in the queue · about { $minutes } min to wait
chat-rating-question = How was this consultation?
chat-rating-score = { $score } out of 5
chat-rating-comment = Anything to add? (optional)
chat-rating-send = Send rating
chat-rating-choose = Choose from 1 to 5 stars first.
chat-rating-sending = Sending…
chat-rating-failed = The rating was not sent: { $reason }
chat-rating-thanks = Thank you for your rating.
chat-rating-thanks-score = Thank you for rating this consultation { $score } out of 5.

## Live signals: the agent typing, read marks, and the line where a new consultation starts.

chat-message-typing = An agent is typing…
# Under the customer's last message the desk has read.
chat-message-read = Read
chat-message-divider = New consultation
# $day: the day the consultation started.
chat-message-divider-day = New consultation · { $day }
# A chatbot's answer asks for the customer's details or location (a plugin's step).
chat-plugin-profile-title = Please tell us the details we need to help you.
chat-plugin-sync-title = Please tell us the details for a quick sign-up.
chat-plugin-name = Name
chat-plugin-phone = Phone
chat-plugin-email = E-mail
chat-plugin-consent = I agree to give these details for this consultation.
chat-plugin-consent-sync = I agree to the sign-up terms and to give these details.
chat-plugin-send = Send
chat-plugin-sending = Sending…
chat-plugin-sent = Your details will reach the agent.
chat-plugin-empty = Give at least a name, a phone number or an e-mail address.
chat-plugin-consent-needed = Please agree to give these details before sending.
chat-plugin-failed = Could not send: { $reason }
chat-plugin-bad-name = Please check the name (one line, at most 100 characters).
chat-plugin-bad-phone = Please check the phone number (digits, hyphens and spaces).
chat-plugin-bad-email = Please check the e-mail address (like name@example.com).
chat-plugin-bad-consent = Please agree to give these details before sending.
chat-plugin-location-title = Share your current location and we can help you better.
chat-plugin-location-share = Send my current location
chat-plugin-location-finding = Finding your location…
chat-plugin-location-denied = Could not get your location. Check that the browser may use it.
chat-plugin-location-unavailable = This browser cannot tell its location.

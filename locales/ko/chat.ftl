### The customer chat window (/chat/{site_id}) and its script (assets/chat.js).

# After the site's name in the window title.
chat-title = 상담
chat-conversation = 대화 내용
chat-closed-note = 상담이 종료되었습니다. 더 문의하실 내용이 있으면 새 상담을 시작해 주세요.
chat-new-consultation = 새 상담 시작
chat-message-label = 메시지
chat-message-placeholder = 메시지를 입력하세요
chat-send = 보내기
chat-send-hint = Enter로 보내고, Shift+Enter로 줄을 바꿉니다.
# The paperclip next to the message input (its label, read by screen readers and shown on hover).
chat-attach = 파일 첨부
# Over the window while a file is dragged onto it.
chat-drop-hint = 여기에 놓으면 파일을 보냅니다

## The status line.

chat-status-connecting = 연결 중…
chat-status-online = 연결됨
chat-status-offline = 연결이 끊겼습니다. 다시 연결하는 중…
chat-status-waiting = 상담원 연결을 기다리고 있습니다
chat-status-bot = 챗봇이 답하고 있습니다
chat-status-in-progress = 상담원과 연결되었습니다
chat-status-in-progress-named = 상담원 { $name }님과 상담 중입니다
chat-status-closed = 상담이 종료되었습니다
chat-status-unavailable = 상담 창을 열 수 없습니다. 잠시 후 다시 시도해 주세요.

## Who wrote a message, and where the customer's own message is.

chat-sender-me = 나
chat-sender-agent = 상담원
chat-sender-agent-named = 상담원 { $name }
chat-sender-bot = 챗봇
chat-sender-system = 안내
chat-message-sending = 전송 중…
chat-message-queued = 연결되면 전송됩니다
chat-message-failed = 전송 실패

## Images and files the customer sends ($percent: how much has gone; $reason: why it was not sent).

chat-message-uploading = 전송 중… { $percent }%
chat-message-file-failed = 보내지 못했습니다: { $reason }
chat-message-file-offline = 연결이 끊겼습니다. 연결되면 다시 보내 주세요.
chat-message-file-closed = 상담이 종료되었습니다. 새 상담을 시작한 뒤 다시 보내 주세요.
chat-message-file-too-large = 파일이 너무 큽니다.
chat-message-retry = 다시 보내기
# After the name of an image or file link, for screen readers.
chat-message-new-tab = (새 탭)

## The page of an address that is no chat.

chat-missing-title = 상담 창을 찾을 수 없습니다
chat-missing-heading = 상담 창을 찾을 수 없습니다
chat-missing-text = 주소가 잘못되었거나 더 이상 사용되지 않는 상담 창입니다. 상담을 안내한 사이트에서 상담 버튼을 다시 눌러 주세요.

## The customer's place in the queue while they wait ($position: 1 is next; $minutes: the estimate).

chat-queue-place = 대기 순번 { $position }번째
chat-queue-place-estimate = 대기 순번 { $position }번째 · 예상 대기 약 { $minutes }분
chat-rating-question = 상담은 어떠셨나요?
chat-rating-score = 5점 만점에 { $score }점
chat-rating-comment = 남기실 말씀 (선택)
chat-rating-send = 평가 보내기
chat-rating-choose = 먼저 별 1~5개 중에서 골라 주세요.
chat-rating-sending = 보내는 중…
chat-rating-failed = 평가를 보내지 못했습니다: { $reason }
chat-rating-thanks = 평가해 주셔서 감사합니다.
chat-rating-thanks-score = 이 상담을 5점 만점에 { $score }점으로 평가해 주셔서 감사합니다.

## Live signals: the agent typing, read marks, and the line where a new consultation starts.

chat-message-typing = 상담원이 입력 중…
# Under the customer's last message the desk has read.
chat-message-read = 읽음
chat-message-divider = 새 상담
# $day: the day the consultation started.
chat-message-divider-day = 새 상담 · { $day }
# A chatbot's answer asks for the customer's details or location (a plugin's step).
chat-plugin-profile-title = 상담에 필요한 정보를 알려 주세요.
chat-plugin-sync-title = 간편가입에 필요한 정보를 알려 주세요.
chat-plugin-name = 이름
chat-plugin-phone = 전화번호
chat-plugin-email = 이메일
chat-plugin-consent = 상담을 위해 위 정보를 제공하는 데 동의합니다.
chat-plugin-consent-sync = 간편가입 약관과 위 정보 제공에 동의합니다.
chat-plugin-send = 보내기
chat-plugin-sending = 보내는 중…
chat-plugin-sent = 보내 주신 정보가 상담원에게 전달됩니다.
chat-plugin-empty = 이름, 전화번호, 이메일 중 하나 이상을 적어 주세요.
chat-plugin-consent-needed = 정보 제공에 동의해 주셔야 보낼 수 있습니다.
chat-plugin-failed = 보내지 못했습니다: { $reason }
chat-plugin-bad-name = 이름을 확인해 주세요 (줄바꿈 없이 100자 이내).
chat-plugin-bad-phone = 전화번호를 확인해 주세요 (숫자와 -, 공백만).
chat-plugin-bad-email = 이메일 주소를 확인해 주세요 (예: name@example.com).
chat-plugin-bad-consent = 정보 제공에 동의해 주셔야 보낼 수 있습니다.
chat-plugin-location-title = 현재 위치를 알려 주시면 더 정확히 도와드릴 수 있어요.
chat-plugin-location-share = 현재 위치 보내기
chat-plugin-location-finding = 위치를 확인하는 중…
chat-plugin-location-denied = 위치를 가져오지 못했습니다. 브라우저에서 위치 접근을 허용했는지 확인해 주세요.
chat-plugin-location-unavailable = 이 브라우저는 위치를 알려 줄 수 없습니다.

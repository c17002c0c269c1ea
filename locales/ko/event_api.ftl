### The Event API's section of the business page (assets/event-api.js).

eventapi-title = 이벤트 API
eventapi-lead = 사업자의 서버가 이벤트 이름으로 고객에게 메시지를 보냅니다(카카오 이벤트 API와 같은 형식). 보낸 메시지만 월렛에서 건당 과금됩니다.
eventapi-ready = 이벤트 API 요청을 받을 수 있습니다.
eventapi-not-ready = 아래 조건을 갖추어야 요청을 받습니다.
# $events: the event names, comma separated.
eventapi-events = 이벤트를 보내는 블록: { $events }
eventapi-events-none = 이벤트를 보내는 블록이 없습니다. 챗봇 블록에 이벤트 API 이름을 넣으세요.
eventapi-key-title = API 키
eventapi-key-help = 요청의 Authorization 헤더에 "KakaoAK 키"로 넣습니다. 새로 발급하면 이전 키는 바로 쓸 수 없습니다.
eventapi-key-issued = 키가 발급되어 있습니다(다시 볼 수 없습니다).
eventapi-key-none = 아직 키가 없습니다.
eventapi-issue = 새 키 발급
eventapi-issue-confirm = 새 키를 발급하면 지금 키로 보내는 요청은 바로 거절됩니다. 발급할까요?
eventapi-key-once = 새 키 (이 화면을 떠나면 다시 볼 수 없습니다)
eventapi-kakao-title = 카카오톡 채널
eventapi-kakao-bot = 카카오 봇 ID
eventapi-kakao-bot-help = 카카오 챗봇 관리자센터의 봇 ID입니다. 비우면 카카오톡 수신자는 실패합니다.
eventapi-kakao-key = 카카오 앱 REST API 키
eventapi-kakao-key-help = 저장한 키는 다시 보이지 않습니다. 비워 두면 저장된 키를 그대로 씁니다.
eventapi-kakao-key-set = REST API 키가 저장되어 있습니다.
eventapi-reply-event = 늦은 상담원 답장의 이벤트
eventapi-reply-event-help = 상담원 답장이 콜백 시간(1분) 뒤에 쓰이면 이 이벤트로 보냅니다(건당 과금). 카카오 관리자센터에서 이 이벤트를 data.text를 보여 주는 블록에 연결하세요. 비우면 고객의 다음 메시지 때 전달됩니다.
eventapi-save = 저장
eventapi-saved = 저장했습니다.
# $reason is the server's answer, in words.
eventapi-failed = 처리하지 못했습니다: { $reason }
requirement-business_verified = 사업자 인증이 필요합니다(위에서 신청).
requirement-wallet = 월렛이 필요합니다(월렛 화면에서 만들기).
requirement-no_receivable = 월렛의 미수금을 먼저 결제해야 합니다.

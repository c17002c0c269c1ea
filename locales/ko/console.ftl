### The agent console (/console) and its script (assets/console.js).

console-title = 상담 콘솔
console-consultations = 상담 목록
console-tab-waiting = 대기
console-tab-mine = 내 상담
console-tab-all = 전체 진행
console-tab-closed = 오늘 종료
console-choose = 목록에서 상담을 고르세요.
console-take = 가져오기
console-close = 상담 종료
console-hold = 자동 종료 보류
console-hold-help = 켜 두면 답변이 없어도 이 상담을 자동으로 종료하지 않습니다.
console-hold-on = 보류했습니다. 이 상담은 자동으로 종료되지 않습니다.
console-hold-off = 보류를 풀었습니다. 답변이 없으면 자동으로 종료됩니다.
console-messages = 메시지
console-reply = 답장
console-reply-hint = Enter: 보내기 · Shift+Enter: 줄바꿈
console-send = 보내기
console-dialog-close = 닫기

## The customer panel.

console-customer = 고객 정보
console-basic = 기본 정보
console-id = ID
console-name = 이름
console-phone = 전화번호
console-phone-edit = 전화번호 수정
console-edit = 수정
console-save = 저장
console-cancel = 취소
console-mobile = 휴대폰 (인증)
console-email = 이메일
console-customer-key = 고객 키
console-channel = 채널
console-extra = 추가 정보
console-info-link = 상담 정보 보기
console-new-tab = (새 탭)
console-warnings = 유입 경고
console-history = 상담 이력 (모든 채널)
console-link-title = 고객 ID 수정
console-link-label = 이 방에 연결할 고객 ID (site_uid)
console-preview = 미리보기
console-journal = 연결 기록

## Consultation states, channels and senders, by their API names.

console-state-bot_waiting = 챗봇 대기
console-state-bot = 챗봇 응답 중
console-state-waiting = 대기
console-state-in_progress = 진행 중
console-state-closed = 종료
console-state-deleted = 삭제됨
console-state-bot_closed = 챗봇 종료
console-channel-webchat_v1 = 웹채팅 v1
console-channel-webchat_v2 = 웹채팅 v2
console-channel-kakao = 카카오톡
console-channel-naver = 네이버 톡톡
console-sender-customer = 고객
console-sender-agent = 상담원
console-sender-bot = 챗봇
console-sender-system = 시스템

## Lists and the connection.

console-anonymous = 이름 없는 고객
console-empty-waiting = 대기 중인 상담이 없습니다.
console-empty-mine = 진행 중인 내 상담이 없습니다.
console-empty-all = 진행 중인 상담이 없습니다.
console-empty-closed = 오늘 종료된 상담이 없습니다.
# Announced to screen readers; $count is how many wait now.
console-new-waiting = 새 상담이 대기열에 들어왔습니다 ({ console-state-waiting } { $count })
console-live = 실시간 연결됨
console-reconnecting = 연결이 끊겼습니다. 다시 연결하는 중…
console-load-failed = 불러오지 못했습니다: { $reason }
console-session-over = 로그인이 끝났습니다(만료되었거나 다른 곳에서 종료되었습니다). 다시 로그인해 주세요.

## The room.

console-consultation-no = 상담 #{ $id }
console-taken-by-me = 담당: 나
console-taken-by-other = 담당: 다른 상담원
console-already-taken = 이미 다른 상담원이 가져갔습니다 (already taken).
console-took = 상담을 가져왔습니다.
console-closed-ok = 상담을 종료했습니다.
console-close-confirm-title = 이 상담을 종료할까요?
console-close-confirm-lead = 고객에게 종료 안내가 전송되고, 이 상담에는 더 이상 답할 수 없습니다. 고객이 다시 문의하면 새 상담이 열립니다.
console-close-confirm = 종료
console-close-cancel = 취소
console-reply-closed = 종료된 상담에는 답장할 수 없습니다.
console-reply-take-first = 답장하려면 먼저 상담을 가져오세요.
console-reply-not-yours = 다른 상담원이 맡은 상담입니다.
console-room-gone = 이 상담은 더 볼 수 없습니다 (다른 상담원이 가져갔거나 종료되었습니다). 목록에서 다른 상담을 고르세요.
console-edit-take-first = 고객 정보나 ID를 고치려면 먼저 상담을 가져오세요.
console-reply-empty = 보낼 내용을 입력해 주세요.
console-send-failed = 보내지 못했습니다: { $reason }
console-action-failed = 처리하지 못했습니다: { $reason }
console-no-messages = 아직 메시지가 없습니다.

## Images and files in the room ($name: the file's name; $percent: how much has gone; $reason: why not).

console-attach = 파일 첨부
console-file-sending = { $name } 보내는 중… { $percent }%
console-file-failed = { $name } 파일을 보내지 못했습니다: { $reason }

## The customer panel, filled by the script.

console-verified = ✓ 인증됨
console-unverified = 미인증
console-none = 없음
console-phone-saved = 전화번호를 저장했습니다.
console-phone-failed = 전화번호를 저장하지 못했습니다: { $reason }
console-mobile-read-only = 읽기 전용: 인증으로만 바뀝니다
console-method-sms = SMS 인증
console-method-kakao_sync = 카카오싱크 인증
console-method-other = 기타 인증
console-from-profile = 프로필
console-extra-user_parameter = 사용자 파라미터
console-extra-category_id = 카테고리 ID
console-extra-division_id = 디비전 ID
console-no-extra = 추가 정보가 없습니다.
console-no-history = 이력이 없습니다.
console-no-warnings = 경고가 없습니다.
console-current = 현재
console-history-title = 상담 내역 #{ $id }

## Inflow warnings, by their codes (crates/inflow's WarningCode).

console-warn-truncated = 잘림
console-warn-too_long = 너무 김 (저장 안 됨)
console-warn-invalid = 형식 오류 (저장 안 됨)
console-warn-read_only = 읽기 전용
console-warn-not_enabled = 사용하지 않는 슬롯
console-warn-duplicate = 중복 (마지막 값 사용)
console-warn-legacy_encoding = 옛 인코딩 (CP949)
console-warn-mangled_separator = 깨진 구분자 (복구됨)
console-warn-placeholder = 채워지지 않은 자리표시자
console-warn-sentinel = 빈 값으로 처리
console-warn-ignored = 무시됨
console-warn-misspelled = 오타 (해석함)
console-warn-unverified = 인증되지 않은 ID

## Correcting a room's ID, and the link journal.

console-confirm-link = 연결 확인: { $uid }
console-preview-into = 이 방은 다음 프로필에 연결됩니다:
console-new-profile = 새 프로필 (이 ID를 가진 프로필이 아직 없습니다)
console-merges = 두 프로필의 상담 이력이 합쳐집니다.
console-same-profile = 이미 이 프로필에 연결되어 있습니다.
console-preview-first = 먼저 미리보기로 확인해 주세요.
console-linked = ID를 연결했습니다.
console-link-failed = ID를 연결하지 못했습니다: { $reason }
console-undone = 되돌렸습니다.
console-undone-at = 되돌림
console-undo = 되돌리기
console-no-journal = 연결 기록이 없습니다.
console-by-me = 나
console-by-agent = 상담원
console-by-inflow = 유입
console-reason-agent = 상담원이 설정
console-reason-inflow = 유입에 이 ID가 있었음
console-message-cut = 고객이 보낸 메시지가 { $original }자로 길어 앞의 { $kept }자만 저장되었습니다. 나머지는 고객에게 다시 요청하세요.

## The header: the agent's own status, the "takes no consultations" switch, and their load.

console-presence = 내 상태
console-presence-online = 온라인
console-presence-away = 자리 비움
console-presence-offline = 오프라인
console-takes-none = 상담 받지 않음
console-load-label = 맡은 상담
# $open: consultations held now; $max: the most held at once.
console-load = { $open }/{ $max }
console-load-title = 진행 중인 상담 { $open }건, 최대 { $max }건
# Announced to screen readers; $status is one of the presence names above.
console-presence-now = 내 상태: { $status }
console-takes-none-on = 새 상담을 받지 않습니다. 맡고 있는 상담은 그대로입니다.
console-presence-failed = 상태를 바꾸지 못했습니다: { $reason }

## The queue: positions, waiting times, the filter, and what the site's mode allows.

console-queue-channel = 채널
console-queue-all-channels = 모든 채널
console-queue-category = 카테고리 ID
console-queue-all-categories = 모든 카테고리
# $position: 1 is next.
console-queue-position = { $position }번째
# $time: how long it has waited (one of the durations below).
console-queue-waited = 대기 { $time }
console-duration-under-minute = 1분 미만
console-duration-minutes = { $m }분
console-duration-hours = { $h }시간 { $m }분
console-empty-filtered = 이 조건에 맞는 대기 상담이 없습니다.
console-queue-auto = 이 사이트는 상담을 자동으로 배분합니다. 대기 중인 상담은 상담원 자리가 나는 대로 배정됩니다.
console-reply-auto = 자동 배분을 기다리는 상담입니다.
console-refused-limit = 동시에 맡을 수 있는 상담은 최대 { $max }건입니다. 지금 { $open }건을 맡고 있어 더 가져올 수 없습니다.
console-refused-auto = 이 사이트는 상담을 자동으로 배분하므로 대기열에서 직접 가져올 수 없습니다.
console-refused-agent-limit = { $name }님은 이미 맡을 수 있는 만큼 상담을 맡고 있습니다.

## Handing a consultation on: transfer, assign, send back.

console-transfer = 전달
console-send-back = 대기열로 돌려보내기
console-assign = 배정
console-transfer-title = 다른 상담원에게 전달
console-assign-title = 상담원에게 배정
console-send-back-title = 대기열로 돌려보내기
console-transfer-lead = 받는 상담원이 수락하면 상담이 넘어갑니다. 답이 없으면 요청은 만료되고 상담은 그대로 내가 맡습니다.
console-send-back-lead = 상담이 처음 기다리기 시작한 때의 순서로 대기열에 돌아갑니다. 분류를 바꾸면 새 분류대로 배분됩니다.
console-send-back-category = 보낼 대분류
console-send-back-division = 보낼 중분류
# The first option of each select: leave it as the consultation has it ($name: its category or division, or none).
console-send-back-keep = 바꾸지 않음 ({ $name })
# The division select's first option once another category is chosen.
console-send-back-no-division = 중분류 없음
# A category with its division.
console-send-back-path = { $category } / { $division }
console-handoff-agent = 상담원
console-handoff-choose = 상담원을 고르세요
# $max-note: the longest note kept.
console-handoff-note = 메모 (선택, 최대 { $max-note }자)
console-transfer-send = 전달 요청
console-assign-send = 배정하기
console-send-back-send = 돌려보내기
console-handoff-cancel = 취소
# An agent in the list: $name, and $presence (one of the presence names above).
console-agent-option = { $name } · { $presence }
# For managers: with the agent's load.
console-agent-option-load = { $name } · { $presence } · { $open }/{ $max }
console-no-agents = 고를 수 있는 다른 상담원이 없습니다.
console-choose-agent-first = 상담원을 골라 주세요.
console-transfer-requested = { $name }님에게 전달을 요청했습니다. 답을 기다리는 중입니다.
console-transfer-pending = { $name }님에게 전달 요청 중 · 답을 기다리는 중
console-withdraw = 요청 취소
console-transfer-withdrawn = { $name }님에게 보낸 전달 요청을 취소했습니다: 상담 #{ $id }
console-transfer-accepted = { $name }님이 전달을 수락했습니다: 상담 #{ $id }
console-transfer-declined = { $name }님이 전달을 거절했습니다: 상담 #{ $id }. 상담은 그대로 내가 맡습니다.
console-transfer-expired = { $name }님이 답하지 않아 전달 요청이 만료되었습니다: 상담 #{ $id }. 상담은 그대로 내가 맡습니다.
console-sent-back = 대기열로 돌려보냈습니다: 상담 #{ $id }
# $category: the category (and division) it now has.
console-sent-back-into = 대기열로 돌려보냈습니다: 상담 #{ $id } · 분류 { $category }
console-assigned = { $name }님에게 배정했습니다.

## Transfer requests addressed to me.

console-requests = 받은 전달 요청
console-request-from = { $name }님의 전달 요청: 상담 #{ $id }
console-request-note = 메모: { $note }
console-request-expires = { $seconds }초 뒤 만료
console-accept = 수락
console-decline = 거절
console-request-accepted = 넘겨받았습니다: 상담 #{ $id }
console-request-declined = 거절했습니다: 상담 #{ $id }
console-request-lapsed = 전달 요청이 만료되었습니다: 상담 #{ $id }
console-request-withdrawn = { $name }님이 전달 요청을 취소했습니다: 상담 #{ $id }
console-request-failed = 처리하지 못했습니다: { $reason }

## The consultation's timeline: who assigned, took, transferred, sent back, reclaimed.

console-timeline = 배정 기록
console-timeline-empty = 아직 배정된 적이 없습니다.
console-tl-assigned = 자동 배분으로 { $agent }님에게 배정되었습니다.
console-tl-taken = { $agent }님이 대기열에서 가져갔습니다.
console-tl-reassigned = { $actor }님이 { $agent }님에게 배정했습니다.
console-tl-transfer_requested = { $actor }님이 { $agent }님에게 전달을 요청했습니다.
console-tl-transferred = { $from }님에게서 { $agent }님에게 전달되었습니다.
console-tl-transfer_declined = { $agent }님이 전달을 거절했습니다.
console-tl-transfer_withdrawn = { $actor }님이 { $agent }님에게 보낸 전달 요청을 취소했습니다.
console-tl-transfer_expired = { $agent }님이 답하지 않아 전달 요청이 만료되었습니다.
console-tl-sent_back = { $actor }님이 대기열로 돌려보냈습니다.
console-tl-reclaimed = { $from }님이 제때 답하지 않아 대기열로 돌아갔습니다.
console-tl-deactivated = { $from }님의 계정이 비활성화되어 { $actor }님이 대기열로 돌려보냈습니다.
console-tl-other = 배정이 바뀌었습니다.
console-tl-note = 메모: { $note }
# A send-back into another category: $from and $to are category / division (or none).
console-tl-recategorized = 분류: { $from } → { $to }
# An account the page does not know (removed, or not yet read).
console-someone = 계정 #{ $id }

## The managers' board of agents.

console-board = 상담원 현황
console-board-name = 이름
console-board-presence = 상태
console-board-load = 진행/최대
console-board-takes = 배분
console-board-takes-yes = 받음
console-board-takes-no = 받지 않음
console-board-empty = 계정이 없습니다.
console-rating = 고객 만족도 5점 만점에 { $score }점

## Search (the box above the lists).

console-search-title = 검색
console-search-label = 고객, 파라미터 값, 메시지 검색
console-search-placeholder = 이름·전화·이메일·ID·메시지 검색
console-search-go = 검색
console-search-searching = 검색하는 중…
console-search-short = 두 글자 이상 입력해 주세요.
# $count is how many results are shown.
console-search-found = { $count }건을 찾았습니다.
# $q is what was searched.
console-search-none = '{ $q }'에 맞는 결과가 없습니다.
console-search-indexing = 지난 메시지는 아직 검색 색인을 만드는 중이라 빠질 수 있습니다.
# $reason is the server's answer.
console-search-failed = 검색하지 못했습니다: { $reason }
console-search-customers = 고객
console-search-parameters = 파라미터 값
console-search-messages = 메시지
console-search-sender-customer = 고객
console-search-sender-agent = 상담원
console-search-sender-bot = 챗봇
console-search-sender-system = 시스템

## What agents keep about a customer: grade, star, tags, memo (assets/console-notes.js).

console-notes-title = 등급과 태그
console-grade = 등급
console-grade-normal = 일반
console-grade-vip = VIP
console-grade-blocked = 차단
console-flag = 별표
console-flag-help = 눈여겨볼 고객에 별표를 달아 둡니다. 다른 상담원에게도 보입니다.
# The badges at the top of the panel and beside the consultation's title.
console-badge-vip = VIP 고객
console-badge-blocked = 차단된 고객
console-badge-flagged = 별표 고객
console-badges = 고객 표시
console-tags = 태그
console-tag-add-label = 태그 추가
console-tag-placeholder = 태그 입력 후 Enter 또는 쉼표
console-tag-add = 추가
console-no-tags = 태그가 없습니다.
# $tag is the tag, without its #.
console-tag-remove = 태그 지우기: { $tag }
console-tag-added = 태그를 추가했습니다: #{ $tag }
console-tag-removed = 태그를 지웠습니다: #{ $tag }
console-tag-duplicate = 이미 붙어 있는 태그입니다: #{ $tag }
console-memo = 메모
console-memo-label = 고객 메모 (상담원끼리만 보입니다)
console-memo-save = 메모 남기기
console-memo-saved = 메모를 남겼습니다.
console-memo-cleared = 메모를 지웠습니다.
console-memo-unchanged = 바뀐 내용이 없습니다.
# Who wrote the memo shown, and when ($name, $time).
console-memo-by = { $name } · { $time }
console-memo-none = 아직 메모가 없습니다.
console-memo-history = 메모 기록
# $count: how many earlier versions there are.
console-memo-history-count = 메모 기록 ({ $count })
console-memo-deleted = (메모 삭제)
console-memo-history-none = 지난 메모가 없습니다.
console-grade-now-normal = 등급을 '일반'으로 바꿨습니다.
console-grade-now-vip = VIP 고객으로 표시했습니다.
console-grade-now-blocked = 이 고객을 차단했습니다. 새로 들어오는 상담은 상담원에게 오지 않고 바로 종료됩니다. 지금 진행 중인 상담은 그대로이니, 필요하면 직접 종료하세요.
console-flag-on = 별표를 달았습니다.
console-flag-off = 별표를 뗐습니다.
console-notes-failed = 저장하지 못했습니다: { $reason }
console-notes-err-body = 메모가 너무 길거나 쓸 수 없는 문자가 들어 있습니다.
console-notes-err-tags = 태그가 너무 많거나 너무 깁니다. 태그에는 쉼표를 쓸 수 없고 #으로 시작할 수 없습니다.
console-block-title = 이 고객을 차단할까요?
console-block-lead = 차단하면 이 고객이 새로 시작하는 상담은 상담원에게 오지 않고, 차단 안내 메시지를 보낸 뒤 바로 종료됩니다(종료 유형: 차단). 상담 기록은 남고, 지금 진행 중인 상담은 그대로입니다. 등급을 다시 바꾸면 풀립니다.
console-block-confirm = 차단
console-block-cancel = 취소

## Canned replies: the picker in the reply box and the dialog that keeps them (assets/console-canned.js).

console-reply-hint-canned = / 또는 Ctrl+/: 상용구
console-canned = 상용구
console-canned-open = 상용구 넣기 (Ctrl+/)
console-canned-list = 상용구 목록
console-canned-keys = ↑↓ 고르기 · Enter 또는 Tab 넣기 · Esc 닫기
console-canned-loading = 상용구를 찾는 중…
console-canned-none = 맞는 상용구가 없습니다.
# Announced while the list is open ($count: how many are listed).
console-canned-found = 상용구 { $count }개
console-canned-failed = 상용구를 불러오지 못했습니다: { $reason }
console-canned-shared = 공유
console-canned-personal = 내 것
console-canned-inserted = 상용구를 넣었습니다. 확인한 뒤 보내세요.
# $vars: the variables left in brackets, e.g. "[customer_name] (고객 이름)".
console-canned-missing = { $vars } 값이 없어 괄호 그대로 넣었습니다. 보내기 전에 직접 채워 주세요.
console-canned-var-customer_name = 고객 이름
console-canned-var-counselor_name = 상담원 이름
console-canned-manage = 상용구 관리
console-canned-manage-lead = 답장 칸에서 / 뒤에 단축어를 입력하면 상용구를 찾아 넣을 수 있습니다. 내용의 [customer_name]은 고객 이름으로, [counselor_name]은 내 이름으로 채워집니다.
console-canned-search = 상용구 찾기
console-canned-mine-title = 내 상용구
console-canned-shared-title = 공유 상용구
console-canned-shared-readonly = 공유 상용구는 매니저와 관리자가 관리합니다.
console-canned-empty = 아직 없습니다.
console-canned-more = 일부만 보입니다. 찾기로 좁혀 보세요.
console-canned-new = 새 상용구
console-canned-edit = 수정
# $shortcut: the reply's shortcut.
console-canned-edit-label = 상용구 수정: /{ $shortcut }
console-canned-delete = 삭제
console-canned-delete-label = 상용구 삭제: /{ $shortcut }
console-canned-delete-confirm = 정말 지울까요?
console-canned-delete-yes = 지우기
console-canned-delete-no = 취소
console-canned-new-title = 새 상용구
console-canned-edit-title = 상용구 수정
console-canned-scope = 범위
console-canned-scope-personal = 내 상용구 (나만 사용)
console-canned-scope-shared = 공유 상용구 (모든 상담원)
console-canned-shortcut = 단축어
console-canned-shortcut-hint = / 뒤에 입력할 한 단어입니다. 띄어쓰기와 /는 쓸 수 없습니다.
console-canned-title-field = 제목 (선택)
console-canned-title-hint = 비워 두면 내용의 첫 줄을 제목으로 씁니다.
console-canned-body = 내용
console-canned-body-hint = 쓸 수 있는 변수: [customer_name] 고객 이름, [counselor_name] 상담원 이름
console-canned-save = 저장
console-canned-cancel = 취소
console-canned-close = 닫기
console-canned-saved = 상용구를 저장했습니다: /{ $shortcut }
console-canned-deleted = 상용구를 지웠습니다: /{ $shortcut }
console-canned-save-failed = 저장하지 못했습니다: { $reason }
console-canned-err-shortcut = 단축어는 띄어쓰기와 / 없이 한 단어로 입력하세요. 너무 길어도 안 됩니다.
console-canned-err-shortcut-taken = 이미 쓰고 있는 단축어입니다. 다른 단축어를 입력하세요.
console-canned-err-title = 제목이 너무 길거나 쓸 수 없는 문자가 들어 있습니다.
console-canned-err-body = 내용을 입력하세요. 변수는 [customer_name]과 [counselor_name]만 쓸 수 있고, 너무 길어도 안 됩니다.

## Live signals: typing, read marks, the lists' unread counts and previews.

# Under the open consultation's messages, and in its list entry, while someone types.
console-typing-customer = 고객이 입력 중…
# $name: the other agent's (or manager's) display name.
console-typing-agent = { $name } 님이 입력 중…
console-typing-someone = 다른 상담원이 입력 중…
# A list entry's preview when nobody has written yet.
console-preview-none = 메시지 없음
console-preview-image = 사진
# $name: the file's name.
console-preview-file = 파일: { $name }
# The count badge, for screen readers.
console-unread-count = 안 읽은 메시지 { $count }개
# Under the agent's last message the customer has read.
console-read = 읽음

## Notifications and sounds (the header's switches).

console-alerts = 알림 설정
console-alerts-notify = 알림
console-alerts-sound = 소리
console-alerts-notify-on = 새 상담과 새 메시지를 브라우저 알림으로 알려 드립니다.
console-alerts-notify-off = 브라우저 알림을 껐습니다.
console-alerts-sound-on = 알림 소리를 켰습니다.
console-alerts-sound-off = 알림 소리를 껐습니다.
console-alerts-blocked = (브라우저에서 차단됨)
console-alerts-unsupported = (이 브라우저는 지원하지 않음)
console-alert-waiting-title = 새 상담이 대기 중입니다
# $name: the customer; $channel: where they came from.
console-alert-waiting-body = { $name } · { $channel }
console-alert-assigned-title = 새 상담이 배정되었습니다
console-alert-assigned-body = { $name } · { $channel }
console-alert-message-title = { $name } 님의 새 메시지
console-pending-kakao = 전달 대기
console-pending-kakao-help = 카카오톡은 상담원이 먼저 보낼 수 없어, 고객이 다음 메시지를 보내면 함께 전달됩니다.
console-via-callback = 바로 전달됨
console-via-callback-help = 고객이 보낸 마지막 메시지의 콜백으로 곧바로 전달되었습니다.
console-via-event_api = 이벤트 API로 전달됨
console-via-event_api-help = 콜백 시간이 지나 이벤트 API로 보냈습니다. 이벤트 메시지 한 건으로 과금됩니다.
console-via-next_message = 다음 메시지와 함께 전달됨
console-via-next_message-help = 고객이 다음 메시지를 보냈을 때 그 응답과 함께 전달되었습니다.
console-pending-naver = 전송 중
console-pending-naver-help = 네이버 톡톡으로 보내는 중입니다. 톡톡이 받으면 이 표시가 사라집니다.
# Why the chatbot handed the consultation to agents.
console-handoff-operator = 챗봇에서 연결됨: 고객이 상담원 연결을 선택했습니다.
console-handoff-block = 챗봇에서 연결됨: 「{ $block }」 블록이 상담원에게 연결했습니다.
console-handoff-fallbacks = 챗봇에서 연결됨: 챗봇이 { $count }번 연속 이해하지 못해 상담원 연결을 제안했고, 고객이 선택했습니다.

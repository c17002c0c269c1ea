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
console-unread = 새 메시지
console-live = 실시간 연결됨
console-reconnecting = 연결이 끊겼습니다. 다시 연결하는 중…
console-load-failed = 불러오지 못했습니다: { $reason }
console-session-over = 로그인이 만료되었습니다. 다시 로그인해 주세요.

## The room.

console-consultation-no = 상담 #{ $id }
console-taken-by-me = 담당: 나
console-taken-by-other = 담당: 다른 상담원
console-already-taken = 이미 다른 상담원이 가져갔습니다 (already taken).
console-took = 상담을 가져왔습니다.
console-closed-ok = 상담을 종료했습니다.
console-reply-closed = 종료된 상담에는 답장할 수 없습니다.
console-reply-take-first = 답장하려면 먼저 상담을 가져오세요.
console-reply-not-yours = 다른 상담원이 맡은 상담입니다.
console-room-gone = 이 상담은 더 볼 수 없습니다 (다른 상담원이 가져갔거나 종료되었습니다). 목록에서 다른 상담을 고르세요.
console-edit-take-first = 고객 정보나 ID를 고치려면 먼저 상담을 가져오세요.
console-reply-empty = 보낼 내용을 입력해 주세요.
console-send-failed = 보내지 못했습니다: { $reason }
console-action-failed = 처리하지 못했습니다: { $reason }
console-no-messages = 아직 메시지가 없습니다.

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

### The audit log: the admin's page of administrative actions (/admin/audit, assets/audit.js).

audit-title = 감사 로그
# $site is the site's name.
audit-crumb = { $site } · 관리
audit-lead = 누가 언제 어떤 관리 작업을 했는지 최근 것부터 보여 줍니다. 비밀 값 자체는 기록하지 않습니다.
audit-forbidden = 감사 로그는 사이트 관리자만 볼 수 있습니다.
audit-log-title = 기록
audit-filters = 조건
audit-filter-action = 작업
audit-filter-all-actions = 모든 작업
audit-filter-actor = 계정
audit-filter-all-actors = 모든 계정

audit-col-at = 시각
audit-col-actor = 계정
audit-col-action = 작업
audit-col-target = 대상
audit-col-detail = 내용
audit-more = 더 보기

audit-status-loading = 감사 로그를 불러오는 중…
# $count is how many entries are shown.
audit-status-count = 항목 { $count }개를 보여 줍니다.
audit-status-count-more = 항목 { $count }개를 보여 줍니다. 더 오래된 항목은 "더 보기"로 불러옵니다.
audit-status-empty = 조건에 맞는 항목이 없습니다.
# $reason is the server's answer, in words.
audit-status-failed = 감사 로그를 불러오지 못했습니다: { $reason }
audit-status-accounts-failed = 계정 목록을 불러오지 못했습니다: { $reason }
audit-status-login-again = 로그인이 끝났습니다. 다시 로그인하세요.

# Who acted when no account did.
audit-actor-server = 서버 (자동)
audit-actor-operator = { $name } (플랫폼 운영자)
# The target of an entry: the site itself, or one thing by its number ($id).
audit-target-site = 사이트
audit-target-agent = 계정 #{ $id }
audit-target-session = 세션 #{ $id }
audit-target-room = 상담방 #{ $id }
audit-target-link = 연결 #{ $id }
audit-target-profile = 고객 프로필 #{ $id }
audit-target-category = 카테고리 #{ $id }
audit-target-verification = 사업자 인증 신청 #{ $id }
audit-target-grant = 무상캐시 지급 #{ $id }
# An entry without details.
audit-detail-none = —

audit-action-site_settings_saved = 사이트 설정 저장
audit-action-site_secret_viewed = 사이트 시크릿 보기
audit-action-site_secret_rotated = 사이트 시크릿 재발급
audit-action-channel_key_viewed = 채널 키 보기
audit-action-channel_key_rotated = 채널 키 재발급
audit-action-account_created = 계정 추가
audit-action-account_edited = 계정 수정
audit-action-account_deactivated = 계정 비활성화
audit-action-account_reactivated = 계정 다시 활성화
audit-action-password_reset = 비밀번호 재설정
audit-action-password_changed = 본인 비밀번호 변경
audit-action-routing_saved = 계정별 배분 설정 저장
audit-action-distribution_saved = 배분 방식 저장
audit-action-hours_saved = 운영 시간 저장
audit-action-holidays_imported = 휴일 가져오기
audit-action-auto_messages_saved = 자동 메시지 저장
audit-action-auto_close_saved = 자동 종료 저장
audit-action-categories_changed = 상담 카테고리 변경
audit-action-session_ended = 세션 종료
audit-action-room_linked = 상담방 ID 연결
audit-action-link_undone = 연결 취소
audit-action-profile_edited = 고객 프로필 수정
audit-action-mobile_verified = 휴대폰 번호 인증 기록
audit-action-customer_graded = 고객 등급 변경
audit-action-site_tags_saved = 태그 목록 저장
audit-action-consultation_deleted = 상담 데이터 삭제
audit-action-bot_saved = 챗봇 설정 저장
audit-action-wallet_changed = 월렛 변경
audit-action-business_submitted = 사업자 인증 신청
audit-action-business_reviewed = 사업자 인증 심사
audit-action-cash_granted = 무상캐시 지급

### The plugins' and channels' section of the business page (assets/plugins.js).

plugins-title = 플러그인 · 채널
plugins-lead = 플러그인은 봇이 연결된 채널에서 설정됩니다. 개발 채널에서 설정한 플러그인은 개발 채널을 연결 해제하면 동작하지 않습니다.
plugins-development = 개발 채널 ID
plugins-development-help = 비우고 저장하면 개발 채널의 연결이 해제됩니다.
plugins-operating = 운영 채널 ID
plugins-app = 카카오 앱 (카카오 디벨로퍼스에서 확인)
plugins-check-business_verified = 사업자 인증
plugins-check-business_channel_linked = 비즈니스 채널이 앱에 연결됨
plugins-check-personal_info_review = '개인정보 항목' 심사 통과
plugins-check-sync_terms_review = '간편가입 약관' 심사 통과
plugins-check-channels_same_app = 개발 채널과 운영 채널이 같은 앱에 연결됨
plugins-save = 저장
plugins-saved = 저장했습니다.
# $names: the plugins, comma separated; $reason: why and what to redo.
plugins-stopped = 개발 채널 연결 해제로 { $names } 플러그인이 동작하지 않습니다. { $reason }
plugins-col-plugin = 플러그인
plugins-col-state = 상태
plugins-col-checklist = 조건
plugins-col-actions = 동작
plugins-name-profile = 프로필
plugins-name-kakao_sync = 카카오싱크 (간편가입)
plugins-name-consultation = 상담원 연결
plugins-name-location = 현재 위치
plugins-state-off = 꺼짐
# $channel: the channel in words.
plugins-state-on = 설정됨 ({ $channel })
plugins-state-broken = 중지됨
plugins-channel-development = 개발 채널
plugins-channel-operating = 운영 채널
plugins-met = 충족
plugins-unmet = 미충족
plugins-enable = 설정
plugins-reenable = 다시 설정
plugins-disable = 해제
# $reason is the server's answer, in words.
plugins-failed = 처리하지 못했습니다: { $reason }
plugins-missing = 설정하지 못했습니다. 먼저 갖추어야 할 조건: { $check }
plugins-enabled = 설정했습니다.
plugins-disabled = 해제했습니다.
plugins-no-channel = 봇을 개발 채널이나 운영 채널에 먼저 연결하세요.

### Shared by every page: the header, the language switch, roles, the navigation links.

# The brand as the header shows it.
brand = 상담 Sangdam
# The product's name after a page's title ("로그인 · Sangdam").
brand-name = Sangdam
# This language's own name, shown in the language switch of every language.
language-name = 한국어
# The label of the language switch (read by screen readers).
language-switch = 언어

role-admin = 관리자
role-manager = 매니저
role-agent = 상담원

nav-parameters = 파라미터 관리
nav-accounts = 계정 관리
nav-hours = 운영 시간 · 자동 메시지
nav-business = 사업자 인증
nav-audit = 감사 로그
nav-reports = 상담 내역
nav-dashboard = 상담 대시보드
nav-sessions = 로그인 세션
nav-console = 상담 콘솔
nav-logout = 로그아웃

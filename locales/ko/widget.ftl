### The chat button (assets/widget.js) on a site's own pages.

widget-open = 상담하기
widget-open-label = 상담하기 (채팅 상담 열기)
widget-close = 닫기
widget-title = 채팅 상담

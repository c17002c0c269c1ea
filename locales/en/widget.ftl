### The chat button (assets/widget.js) on a site's own pages.

widget-open = Chat
widget-open-label = Chat with us
widget-close = Close
widget-title = Chat

"""The web chat widget and its Rasa input channel, for agencies' own websites.

- `channel.WebchatInput`: the `webchat` input channel (routes under /webhooks/webchat/):
  signed browser sessions, a CORS allowlist, size limits, history and UI strings;
- `tokens`: the HMAC-signed session tokens the sender id is derived from;
- `strings`: the widget's UI strings in six languages (from locales/responses/webchat.yml);
- `demo`: a small static server for the demo page and the widget script (`make run`: :8080);
- `static/advisor-widget.js`: the one script an agency adds to its pages.
"""

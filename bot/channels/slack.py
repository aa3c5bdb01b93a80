"""Slack (Events API), on top of Rasa's Slack connector.

Rasa 3.6's ``SlackInput`` already verifies requests (``X-Slack-Signature`` v0 = HMAC-SHA256 of
``v0:<timestamp>:<body>`` with the signing secret; ``X-Slack-Request-Timestamp`` more than five
minutes off is refused with 400) and answers in the background (Slack wants an answer within
three seconds). What differs here:

* Slack's retries are not answered twice: a retry because we were slow (``X-Slack-Retry-Reason:
  http_timeout``) and any event whose ``event_id`` was already received are acknowledged and
  dropped; a retry of an event that never got through (the server was down) is answered.
  (Rasa only skipped the ``http_timeout`` retries.)
* The ``url_verification`` challenge is answered as ``{"challenge": ...}`` (Rasa sent a bare
  JSON string) - after the signature check, like everything else.
* A reply is split into messages of at most 3,000 characters (a section block's limit; Slack
  truncates a message's text at 40,000) at paragraph / line / sentence boundaries, with
  ``&``, ``<`` and ``>`` escaped as Slack requires; buttons stay Slack buttons.
* No ``as_user`` (refused for Slack apps with granular bot scopes). Messages go through the
  message guard (bot/guard.py).
* ``$SLACK_API_BASE`` replaces https://slack.com/api (tests: a local stand-in API).

credentials.yml: ``bot.channels.slack.SlackSignedInput`` with ``slack_token`` (bot token,
xoxb-...) and ``slack_signing_secret``.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from http import HTTPStatus
from typing import Any

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.core.channels.slack import SlackBot, SlackInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from slack_sdk.web.async_client import AsyncWebClient

from bot.channels import RecentIds, api_base, webhook_blueprint
from bot.channels.text import SLACK_LIMIT, split_message
from bot.guard import guarded

logger = logging.getLogger(__name__)

SLACK_API = "https://slack.com/api"


def slack_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class SlackTextBot(SlackBot):
    """Posts through chat.postMessage (or $SLACK_API_BASE), split to 3,000 characters."""

    @classmethod
    def name(cls) -> str:
        return "slack"

    def __init__(self, token: str, slack_channel: str | None = None,
                 thread_id: str | None = None, proxy: str | None = None) -> None:
        super().__init__(token, slack_channel, thread_id, proxy)
        self.client = AsyncWebClient(
            token, base_url=api_base("SLACK_API_BASE", SLACK_API) + "/", proxy=proxy
        )

    async def _post_message(self, channel: str, **kwargs: Any) -> None:
        kwargs.pop("as_user", None)
        try:
            await super()._post_message(channel=channel, **kwargs)
        except Exception as exc:
            logger.error("slack: chat.postMessage failed: %r", exc)

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        recipient = self.slack_channel or recipient_id
        for part in split_message(text, SLACK_LIMIT):
            await self._post_message(channel=recipient, text=slack_escape(part))

    async def send_text_with_buttons(self, recipient_id: str, text: str,
                                     buttons: list[dict[str, Any]], **kwargs: Any) -> None:
        *first, last = split_message(text, SLACK_LIMIT) or [""]
        for part in first:
            await self.send_text_message(recipient_id, part)
        await super().send_text_with_buttons(recipient_id, last, buttons, **kwargs)


class SlackSignedInput(SlackInput):
    """Slack. Event Subscriptions and Interactivity request URL: /webhooks/slack/webhook."""

    @classmethod
    def name(cls) -> str:
        return "slack"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        credentials = credentials or {}
        if not credentials.get("slack_token"):
            cls.raise_missing_credentials_exception()
        return cls(
            credentials["slack_token"],
            credentials.get("slack_channel"),
            credentials.get("proxy"),
            credentials.get("slack_retry_reason_header", "x-slack-retry-reason"),
            credentials.get("slack_retry_number_header", "x-slack-retry-num"),
            slack_signing_secret=credentials.get("slack_signing_secret", ""),
            conversation_granularity=credentials.get("conversation_granularity", "sender"),
        )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.recent = RecentIds()

    def get_output_channel(self, channel: str | None = None,
                           thread_id: str | None = None) -> OutputChannel:
        return SlackTextBot(self.slack_token, channel or self.slack_channel, thread_id,
                            self.proxy)

    def get_metadata(self, request: Request) -> dict[str, Any]:
        """Rasa's metadata (reply channel, thread, the bot's own user ids), also for a
        ``Content-Type`` with parameters."""
        content_type = request.headers.get("content-type", "").split(";")[0].strip()
        if content_type != "application/json":
            return super().get_metadata(request) or {}
        try:
            body = json.loads(request.body or b"")
        except ValueError:
            body = {}
        body = body if isinstance(body, dict) else {}
        event = body.get("event") or {}
        users = list(body.get("authed_users") or [])
        if not users and body.get("authorizations"):
            users.append((body["authorizations"][0] or {}).get("user_id"))
        return {
            "out_channel": event.get("channel"),
            "thread_id": event.get("thread_ts", event.get("ts")),
            "users": users,
        }

    async def handle_event(self, request: Request, body: dict[str, Any],
                           on_new_message: Callable[[UserMessage], Awaitable[Any]]
                           ) -> HTTPResponse:
        """An Events API callback: a user's message in a direct message or a mention."""
        if not self._is_user_message(body):
            return response.text("")  # the bot's own messages, edits, joins...
        metadata = self.get_metadata(request)
        if not self._is_supported_channel(body, metadata):
            return response.text("")
        event = body["event"]
        conversation_id = self._get_conversation_id(
            event.get("user", ""), metadata.get("out_channel"), metadata.get("thread_id")
        )
        text = self._sanitize_user_message(event.get("text", ""), metadata.get("users"))
        return await self.process_message(
            request, on_new_message, text=text, sender_id=conversation_id, metadata=metadata
        )

    async def handle_interaction(self, request: Request,
                                 on_new_message: Callable[[UserMessage], Awaitable[Any]]
                                 ) -> HTTPResponse:
        """A button click (Interactivity: form-encoded ``payload``)."""
        try:
            payload = json.loads(request.form["payload"][0])
        except (KeyError, IndexError, ValueError):
            return response.text("no payload", status=HTTPStatus.BAD_REQUEST)
        if not isinstance(payload, dict) or not self._is_interactive_message(payload):
            return response.text("")
        text = self._get_interactive_response(payload["actions"][0])
        if text is None:
            return response.text("")  # a link button
        metadata = self.get_metadata(request)
        conversation_id = self._get_conversation_id(
            (payload.get("user") or {}).get("id"), metadata.get("out_channel"),
            metadata.get("thread_id"),
        )
        return await self.process_message(
            request, on_new_message, text=text, sender_id=conversation_id, metadata=metadata
        )

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Blueprint:
        on_new_message = guarded(on_new_message)
        webhook = webhook_blueprint(self, __name__)

        @webhook.route("/webhook", methods=["POST"])
        async def webhook_post(request: Request) -> HTTPResponse:
            if not self.is_request_from_slack_authentic(request):
                logger.warning("slack: request without a valid X-Slack-Signature")
                return response.text("invalid signature", status=HTTPStatus.UNAUTHORIZED)
            retry = request.headers.get(self.retry_num_header)
            reason = request.headers.get(self.retry_reason_header)
            if retry and reason == "http_timeout":
                # the first delivery reached us and is being answered, just slowly
                return response.text("", headers={"X-Slack-No-Retry": "1"})
            content_type = request.headers.get("content-type", "").split(";")[0].strip()
            if content_type == "application/x-www-form-urlencoded":
                return await self.handle_interaction(request, on_new_message)
            if content_type != "application/json":
                return response.text("unsupported content type", status=HTTPStatus.BAD_REQUEST)
            try:
                body = json.loads(request.body or b"")
            except ValueError:
                body = None
            if not isinstance(body, dict):
                return response.text("not an event", status=HTTPStatus.BAD_REQUEST)
            if body.get("type") == "url_verification":
                return response.json({"challenge": body.get("challenge", "")})
            if body.get("type") != "event_callback":
                return response.text("")
            if self.recent.seen(body.get("event_id")):  # a retry of an event we answered
                return response.text("", headers={"X-Slack-No-Retry": "1"} if retry else None)
            return await self.handle_event(request, body, on_new_message)

        return webhook

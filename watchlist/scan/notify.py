"""Telling people about new hits: an e-mail (SMTP) and a signed webhook (JSON POST)."""

from __future__ import annotations

import hashlib
import hmac
import json
import smtplib
import ssl
from email.message import EmailMessage
from typing import Any

import requests

from watchlist.config import NotifySettings
from watchlist.errors import FetchError

SIGNATURE_HEADER = "X-Watchlist-Signature"


def sign(body: bytes, secret: str) -> str:
    """`sha256=<hex>` of the body under the shared secret."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def send_webhook(settings: NotifySettings, summary: dict[str, Any]) -> None:
    """POST the summary as JSON, signed when a secret is set."""
    body = json.dumps(summary, sort_keys=True).encode()
    headers = {"Content-Type": "application/json", "User-Agent": "Watchlist/0.1"}
    if settings.webhook_secret:
        headers[SIGNATURE_HEADER] = sign(body, settings.webhook_secret)
    try:
        reply = requests.post(
            settings.webhook_url, data=body, headers=headers, timeout=settings.timeout_seconds
        )
    except requests.RequestException as exc:
        raise FetchError(f"Webhook {settings.webhook_url} failed: {type(exc).__name__}.") from None
    if not 200 <= reply.status_code < 300:
        raise FetchError(f"Webhook {settings.webhook_url} answered HTTP {reply.status_code}.")


def email_text(summary: dict[str, Any]) -> tuple[str, str]:
    """Subject and plain-text body of the new-hits e-mail."""
    run = summary["run"]
    lines = [
        f"Scan run {run['id']} ({run['status']}): {run['new_hits']} new hits in "
        f"{run['articles_screened'] + run['articles_rescreened']} articles screened.",
        "",
    ]
    for update in summary.get("list_updates", []):
        if update["status"] in ("refused", "failed"):
            lines.append(f"List update {update['status']}: {update['message']}")
    for line in summary["new_hits_by_entity"]:
        programs = ", ".join(line["programs"]) or "-"
        lines.append(
            f"- {line['entity']} [{programs}]: {line['hits']} hits in {line['articles']} articles"
        )
    subject = f"Watchlist: {run['new_hits']} new hits (scan {run['id']})"
    return subject, "\n".join(lines) + "\n"


def send_email(settings: NotifySettings, summary: dict[str, Any]) -> None:
    """Mail the summary to `mail_to` through the configured SMTP server."""
    subject, text = email_text(summary)
    message = EmailMessage()
    message["Subject"], message["From"] = subject, settings.mail_from
    message["To"] = ", ".join(settings.mail_to)
    message.set_content(text)
    try:
        with smtplib.SMTP(
            settings.smtp_host, settings.smtp_port, timeout=settings.timeout_seconds
        ) as smtp:
            if settings.smtp_starttls:
                smtp.starttls(context=ssl.create_default_context())
            if settings.smtp_username:
                smtp.login(settings.smtp_username, settings.smtp_password)
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        raise FetchError(f"E-mail through {settings.smtp_host} failed: {exc}.") from None


def notify(settings: NotifySettings, summary: dict[str, Any]) -> list[str]:
    """Send every configured notification; the messages of those that failed."""
    failures = []
    if settings.smtp_host and settings.mail_to:
        try:
            send_email(settings, summary)
        except FetchError as error:
            failures.append(error.message)
    if settings.webhook_url:
        try:
            send_webhook(settings, summary)
        except FetchError as error:
            failures.append(error.message)
    return failures

"""`watchlist screen`: find listed names in text files, without storing anything."""

from __future__ import annotations

import json
from pathlib import Path

import click

from watchlist import responses
from watchlist.articles.documents import read_text_file
from watchlist.cli.app import AppContext, cli, pass_app
from watchlist.db import transaction
from watchlist.screening import hits as screening


@cli.command("screen")
@click.argument(
    "files",
    metavar="FILE...",
    nargs=-1,
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
)
@click.option(
    "--json", "as_json", is_flag=True, help='One JSON line per file: {"file": PATH, "hits": [...]}.'
)
@pass_app
def screen_command(app: AppContext, files: tuple[Path, ...], as_json: bool) -> None:
    """Screen text files (plain text or HTML) for listed names; nothing is stored.

    Each hit gives the character offsets into the file's text (so text[start:end] is the
    mention), the sentence, the listed name that matched, the score and why.
    """  # fmt: skip
    with transaction(app.sessions) as session:
        screener = screening.make_screener(session, app.settings.matching)
        for path in files:
            text = read_text_file(path, max_chars=app.settings.intake.max_text_chars)
            hits = screening.screen_to_json(session, text, screener.matcher)
            click.echo(
                json.dumps({"file": str(path), "hits": hits}) if as_json else _text(path, hits)
            )


def _text(path: Path, hits: list[responses.TextHit]) -> str:
    lines = [f"{path}: {len(hits)} hit{'s' if len(hits) != 1 else ''}"]
    for hit in hits:
        entity = hit["entity"]
        programs = ", ".join(entity["programs"]) or "-"
        lines.append(
            f"  {hit['start']}-{hit['end']} {hit['text']!r} -> {entity['name']} "
            f"({entity['source']}:{entity['source_key']}; {programs}) score {hit['score']:.2f}"
        )
    return "\n".join(lines)

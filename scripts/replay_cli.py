"""The `parley replay` command: readable text with rich, or JSON Lines with `--json`."""

from __future__ import annotations

import json
import sys
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeRemainingColumn

from parley.domain.errors import InvalidFuzzyDate, InvalidSubject
from parley.domain.fuzzy_dates import end_of
from parley.domain.register import PEOPLE
from parley.domain.replay import Order
from parley.domain.subjects import KIND, SubjectId
from parley.scripts.opening import DatabaseOption, Rate, err, fail, opened
from parley.scripts.replay import Pins, Replayed, last_position, replay
from parley.scripts.terminal import escape


def replay_command(
    database: DatabaseOption = None,
    known_at: Annotated[
        str | None, typer.Option("--known-at", help="replay what the record held at this moment (a date means its end)")
    ] = None,
    until_position: Annotated[int | None, typer.Option("--until-position", min=0, help="stop after this log position")] = None,
    subject: Annotated[str | None, typer.Option("--subject", help="only this subject, kind/slug")] = None,
    kind: Annotated[
        str | None, typer.Option("--kind", help="only subjects of this kind (one the service declares: GET /catalog lists them)")
    ] = None,
    order: Annotated[str, typer.Option("--order", help="recorded (the log's order) or valid (valid time)")] = "recorded",
    as_json: Annotated[bool, typer.Option("--json", help="one JSON object per line")] = False,
) -> None:
    """Replay the log: event by event, the subject's state just before and just after it, with its sources."""

    pins = _pins(known_at, until_position, subject, kind, order, fail)
    out = Console(file=sys.stdout, highlight=False, soft_wrap=True)
    # A bar only where someone watches a terminal while the lines go to a file or a pipe.
    show_progress = err.is_terminal and not sys.stdout.isatty()
    with opened(database) as system:
        if pins.subject is not None:
            _exists(system, str(pins.subject), fail)
        total = last_position(system.app, pins)
        with bar_on(err, "replaying") if show_progress else _Quiet() as bar:
            task, rate = bar.add_task("replay", total=total, rate="-"), Rate()
            count = 0
            progress = lambda read, position: bar.update(task, completed=position, rate=rate.add(read), refresh=True)  # noqa: E731
            for replayed in replay(system.app, pins, progress):
                if as_json:
                    sys.stdout.write(json.dumps(replayed.line(), ensure_ascii=False, separators=(",", ":")) + "\n")
                else:
                    out.print(text_of(replayed))
                count += 1
            bar.update(task, completed=total)
    sys.stdout.flush()
    err.print(f"replayed {count} events", highlight=False)


def _exists(system: Any, subject: str, fail: Any) -> None:
    """A subject with no events is most likely a typo: say so, with the nearest that have some."""
    system.projection.catch_up()
    nearest = system.state_reads.nearest_subjects(subject)
    if nearest is not None:
        fail(
            escape(
                f"no subject is called {subject}"
                + (f"; did you mean {' or '.join(nearest)}?" if nearest else "; `GET /state` lists the subjects there are")
            )
        )


def _pins(known_at: str | None, until: int | None, subject: str | None, kind: str | None, order: str, fail: Any) -> Pins:
    if order not in ("recorded", "valid"):
        fail(f"--order takes recorded or valid, not {order!r}")
    if kind is not None and not KIND.match(kind):
        fail(f"--kind takes a kind's name (lower-case letters, digits and '_'), not {kind!r}")
    try:
        moment = end_of(known_at) if known_at else None
        sid = SubjectId.parse(subject) if subject else None
    except (InvalidFuzzyDate, InvalidSubject) as error:
        fail(escape(str(error)))
    if sid and kind and sid.kind != kind:
        fail(f"--subject {sid} is not of --kind {kind}")
    chosen: Order = "valid" if order == "valid" else "recorded"
    return Pins(known_at=moment, until=until, subject=sid, kind=kind, order=chosen)


def text_of(replayed: Replayed) -> str:
    """One event as a few readable lines: what, when, what it changed, and who reported it."""
    line = replayed.line()
    recorded = line["recorded_at"][:19].replace("T", " ")
    lines = [
        f"[bold]#{line['position']}[/bold]  {escape(line['occurred'])}  [cyan]{escape(line['subject'])}[/cyan]  "
        f"[bold]{escape(line['type'])}[/bold]  [dim]recorded {recorded} by {escape(line['recorded_by'])}[/dim]"
    ]
    for change in line["changes"]:
        if change["field"] == "statements":
            lines += [f"    statements  [red]−[/red] {_said(s)}" for s in change["before"]]
            lines += [f"    statements  [green]+[/green] {_said(s)}" for s in change["after"]]
        else:
            lines.append(f"    {escape(change['field'])}  {_value(change['before'])} → {_value(change['after'])}")
    if not line["changes"]:
        why = "it never certainly happened" if line["as_of"] is None else f"at {line['as_of']}"
        lines.append(f"    [dim]no change ({why})[/dim]")
    if line[PEOPLE]:
        lines.append(
            "    [dim]people:[/dim] "
            + "; ".join(
                f"{escape(name)} = {escape(who if isinstance(who, str) else 'one of ' + ', '.join(who['ambiguous']))}"
                for name, who in line[PEOPLE].items()
            )
        )
    lines.append("    [dim]sources:[/dim] " + "; ".join(_source(s) for s in line["sources"]))
    if line["note"]:
        lines.append(f"    [dim]note:[/dim] {escape(line['note'])}")
    return "\n".join(lines) + "\n"


def _value(value: Any) -> str:
    if value is None:
        return "[dim]—[/dim]"
    if isinstance(value, dict) and "disputed" in value:
        return "disputed: " + " | ".join(
            f"{_value(option['value'])} ({escape(', '.join(option['sources']))})" for option in value["disputed"]
        )
    if isinstance(value, str):
        return escape(value)
    return escape(json.dumps(value, ensure_ascii=False))


def _said(statement: dict[str, Any]) -> str:
    role = f", {statement['role']}" if statement.get("role") else ""
    return escape(f"“{statement['quote']}” — {statement['speaker']}{role}")


def _source(source: dict[str, Any]) -> str:
    text = source["name"]
    if source.get("published"):
        text += f", {source['published']}"
    if source.get("quote"):
        text += f": “{source['quote']}”"
    if source.get("url"):
        text += f" <{source['url']}>"
    return escape(text)


def bar_on(err: Console, what: str) -> Progress:
    """A progress bar that leaves standard output alone (rich would pass it to the bar's console)."""
    return Progress(
        TextColumn(what),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]} events/s"),
        TimeRemainingColumn(),
        console=err,
        redirect_stdout=False,
        redirect_stderr=False,
    )


class _Quiet:
    """A progress bar that shows nothing, for output to a terminal."""

    def __enter__(self) -> _Quiet:
        return self

    def __exit__(self, *_: object) -> None:
        return None

    def add_task(self, *_: Any, **__: Any) -> TaskID:
        return TaskID(0)

    def update(self, *_: Any, **__: Any) -> None:
        return None

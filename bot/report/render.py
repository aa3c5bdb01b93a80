"""The insights report as files: one self-contained HTML page (inline SVG charts drawn with
matplotlib, inline CSS, no script, nothing loaded from elsewhere) and a CSV file per table."""

from __future__ import annotations

import csv
import html
import io
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

from bot.report.analyze import CATEGORIES, MIN_GROUP, Insights, percentile

HIDDEN = f"(hidden: fewer than {MIN_GROUP} messages)"

Table = tuple[list[str], list[list[object]]]


# ------------------------------------------------------------------------------ tables


def _days(insights: Insights) -> list[str]:
    return sorted({day for day, _ in insights.conversations} | set(insights.emergencies))


def tables(insights: Insights, show_rare: bool = False) -> dict[str, Table]:
    conversations = [
        [day, channel, insights.conversations[(day, channel)], insights.messages[(day, channel)]]
        for day, channel in sorted(set(insights.conversations) | set(insights.messages))
    ]
    questions = [[topic, procedure, count] for (topic, procedure), count in
                 sorted(insights.questions.items(), key=lambda kv: (-kv[1], kv[0]))]
    unanswered = []
    for group in insights.groups():
        shown = group.text if show_rare or group.count >= MIN_GROUP else HIDDEN
        wordings = len(group.wordings) if show_rare or group.count >= MIN_GROUP else ""
        unanswered.append([group.category, group.count, wordings, shown])
    emergencies = [[day, insights.emergencies[day], insights.crisis[day]]
                   for day in _days(insights)]
    feedback = []
    keys = {(t, p) for t, p in insights.questions if not t.startswith("clinic:")}
    keys |= {(t, p) for t, p, _ in insights.feedback}
    for topic, procedure in sorted(keys):
        answers = insights.questions[(topic, procedure)]
        yes = insights.feedback[(topic, procedure, "yes")]
        no = insights.feedback[(topic, procedure, "no")]
        rate = f"{(yes + no) / answers:.0%}" if answers else ""
        feedback.append([topic, procedure, answers, yes + no, yes, no, rate])
    times = insights.reply_times
    median, p95 = percentile(times, 50), percentile(times, 95)
    replies = [[len(times), "" if median is None else round(median * 1000),
                "" if p95 is None else round(p95 * 1000)]]
    return {
        "conversations_per_day": (["date", "channel", "conversations", "messages"],
                                  conversations),
        "questions_by_topic": (["topic", "procedure", "questions"], questions),
        "unanswered_questions": (["category", "messages", "wordings", "question"], unanswered),
        "emergencies_per_day": (["date", "emergencies", "crisis_redirects"], emergencies),
        "feedback_by_topic": (["topic", "procedure", "answers", "feedback", "helpful",
                               "not_helpful", "feedback_rate"], feedback),
        "reply_times": (["replies", "median_ms", "p95_ms"], replies),
    }


def write_csvs(out: Path, all_tables: dict[str, Table]) -> list[Path]:
    written = []
    for name, (header, rows) in all_tables.items():
        path = out / f"{name}.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows(rows)
        written.append(path)
    return written


# ------------------------------------------------------------------------------ charts


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    matplotlib.rcParams.update({
        "svg.fonttype": "none", "svg.hashsalt": "insights-report", "font.size": 9,
        "axes.spines.top": False, "axes.spines.right": False,
    })
    import matplotlib.pyplot as plt

    return plt


def _svg(plt, fig, title: str) -> str:
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(fig)
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg"):]
    return svg.replace("<svg ", f'<svg role="img" aria-label="{html.escape(title)}" ', 1)


def _date_range(first: str, last: str) -> list[str]:
    start, end = date.fromisoformat(first), date.fromisoformat(last)
    return [(start + timedelta(days=i)).isoformat() for i in range((end - start).days + 1)]


def charts(insights: Insights) -> dict[str, str]:
    days = _days(insights)
    if not days:
        return {}
    plt = _pyplot()
    drawn: dict[str, str] = {}
    every_day = _date_range(days[0], days[-1])
    labels = [d[5:] for d in every_day]
    width = min(max(4.5, len(every_day) * 0.22), 11)

    channels = sorted({c for _, c in insights.conversations})
    fig, ax = plt.subplots(figsize=(width, 2.8))
    bottom = [0] * len(every_day)
    for channel in channels:
        values = [insights.conversations[(d, channel)] for d in every_day]
        ax.bar(labels, values, bottom=bottom, label=channel)
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    ax.set_ylabel("conversations")
    ax.legend(frameon=False, fontsize=8)
    ax.tick_params(axis="x", labelrotation=90)
    drawn["conversations"] = _svg(plt, fig, "Conversations per day and channel")

    per_topic: Counter = Counter()
    for (topic, _), count in insights.questions.items():
        per_topic[topic] += count
    if per_topic:
        top = per_topic.most_common(20)[::-1]
        fig, ax = plt.subplots(figsize=(6.5, max(1.6, 0.28 * len(top) + 0.6)))
        ax.barh([t for t, _ in top], [c for _, c in top], color="#1f6f8b")
        ax.set_xlabel("questions answered")
        drawn["questions"] = _svg(plt, fig, "Questions per topic")

    fig, ax = plt.subplots(figsize=(width, 2.4))
    ax.bar(labels, [insights.emergencies[d] for d in every_day], color="#b3261e",
           label="emergencies")
    ax.bar(labels, [insights.crisis[d] for d in every_day], color="#4a148c",
           label="of which crisis redirects")
    ax.set_ylabel("messages")
    ax.legend(frameon=False, fontsize=8)
    ax.tick_params(axis="x", labelrotation=90)
    drawn["emergencies"] = _svg(plt, fig, "Emergencies and crisis redirects per day")

    topics = sorted({t for t, _, _ in insights.feedback})
    if topics:
        yes = [sum(v for (t, _, h), v in insights.feedback.items() if t == x and h == "yes")
               for x in topics]
        no = [sum(v for (t, _, h), v in insights.feedback.items() if t == x and h == "no")
              for x in topics]
        fig, ax = plt.subplots(figsize=(6.5, max(1.6, 0.3 * len(topics) + 0.6)))
        ax.barh(topics, yes, color="#2e7d32", label="helpful")
        ax.barh(topics, no, left=yes, color="#c62828", label="not helpful")
        ax.set_xlabel("feedback")
        ax.legend(frameon=False, fontsize=8)
        drawn["feedback"] = _svg(plt, fig, "Feedback by topic")
    return drawn


# ------------------------------------------------------------------------------ HTML

STYLE = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b2733;
margin:0 auto;max-width:1100px;padding:1.5rem}
h1{font-size:1.6rem;margin:0 0 .25rem}h2{font-size:1.2rem;margin:2rem 0 .5rem;
border-bottom:1px solid #d5dde5;padding-bottom:.25rem}
table{border-collapse:collapse;margin:.5rem 0;font-size:.9rem}
th,td{border:1px solid #d5dde5;padding:.3rem .6rem;text-align:left;vertical-align:top}
td.n{text-align:right;font-variant-numeric:tabular-nums}th{background:#f0f4f7}
.note{color:#55606b;font-size:.9rem}.hidden{color:#55606b;font-style:italic}
.totals{display:flex;flex-wrap:wrap;gap:1rem;margin:1rem 0;padding:0;list-style:none}
.totals li{background:#f0f4f7;border-radius:8px;padding:.6rem 1rem}
.totals strong{display:block;font-size:1.4rem}figure{margin:.5rem 0}svg{max-width:100%;height:auto}
"""


def _table(header: list[str], rows: list[list[object]], empty: str) -> str:
    if not rows:
        return f'<p class="note">{html.escape(empty)}</p>'
    head = "".join(f"<th scope=col>{html.escape(h.replace('_', ' '))}</th>" for h in header)
    body = []
    for row in rows:
        cells = []
        for value in row:
            text = html.escape(str(value))
            if isinstance(value, (int, float)):
                cells.append(f'<td class="n">{text}</td>')
            elif value == HIDDEN:
                cells.append(f'<td class="hidden">{text}</td>')
            else:
                cells.append(f"<td>{text}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _figure(drawn: dict[str, str], name: str, caption: str) -> str:
    if name not in drawn:
        return ""
    caption = f"<figcaption class=note>{html.escape(caption)}</figcaption>"
    return f"<figure>{drawn[name]}{caption}</figure>"


def render_html(insights: Insights, all_tables: dict[str, Table], drawn: dict[str, str],
                clinic: str, generated: str, show_rare: bool = False) -> str:
    period = f"{insights.since} to {insights.until} (UTC)"
    parts = [
        "<!doctype html><html lang=en><head><meta charset=utf-8>",
        '<meta name="robots" content="noindex, nofollow">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Insights report · {html.escape(clinic)}</title><style>{STYLE}</style></head>",
        "<body><main>",
        f"<h1>What patients ask: insights report</h1><p>{html.escape(clinic)} · {period} · "
        f"generated {html.escape(generated)}</p>",
        "<p class=note>Only redacted text appears (phone numbers, e-mail addresses and dates are "
        f"replaced). Unanswered questions said fewer than {MIN_GROUP} times show only their "
        "count" + (" — shown here because the report was made with --show-rare" if show_rare
                   else "") + ". No conversation or sender ids appear anywhere.</p>",
    ]
    if insights.total_conversations == 0:
        parts.append(f"<p><strong>No conversations were stored in this period ({period}).</strong>"
                     "</p></main></body></html>")
        return "".join(parts)
    header, rows = all_tables["reply_times"]
    median = rows[0][1]
    answered = sum(insights.questions.values())
    unanswered = sum(len(v) for v in insights.unanswered.values())
    feedback = sum(insights.feedback.values())
    totals = [("conversations", insights.total_conversations),
              ("messages", insights.total_messages), ("questions answered", answered),
              ("unanswered questions", unanswered),
              ("emergencies", sum(insights.emergencies.values())),
              ("feedback given", feedback),
              ("median reply time", f"{median} ms" if median != "" else "not recorded")]
    parts.append("<ul class=totals>" + "".join(
        f"<li><strong>{html.escape(str(v))}</strong>{html.escape(k)}</li>" for k, v in totals)
        + "</ul>")
    sections = [
        ("Conversations and messages per day and channel", "conversations",
         "Conversations per day, by channel.", "conversations_per_day",
         "No conversations."),
        ("Questions per topic and procedure", "questions",
         "Questions the bot answered, by topic (clinic: practical questions the clinic answers).",
         "questions_by_topic", "No questions answered."),
        ("Unanswered questions", None, "", "unanswered_questions",
         "No unanswered questions."),
        ("Emergencies and crisis redirects per day", "emergencies",
         "Messages sent to emergency care; crisis redirects are about suicidal thoughts.",
         "emergencies_per_day", "No emergencies."),
        ("Feedback by topic", "feedback", "Helpful / not helpful answers by topic.",
         "feedback_by_topic", "No answers or feedback."),
        ("Reply time", None, "", "reply_times", "No replies."),
    ]
    for title, chart, caption, table, empty in sections:
        parts.append(f"<section><h2>{html.escape(title)}</h2>")
        if table == "unanswered_questions":
            parts.append(
                "<p class=note>What the bot could not answer, grouped by similar wording, most "
                "frequent first: " + ", ".join(CATEGORIES) + ". This is the list to work from "
                "when adding local answers to the clinic profile or documents.</p>")
        if chart:
            parts.append(_figure(drawn, chart, caption))
        header, rows = all_tables[table]
        parts.append(_table(header, rows, empty))
        parts.append(f'<p class=note>CSV: {table}.csv</p></section>')
    parts.append("</main></body></html>")
    return "".join(parts)

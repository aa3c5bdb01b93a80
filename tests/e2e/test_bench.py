"""The benchmark (tools/bench.py): its statistics and memory helpers without servers, and one short
run against the real servers that checks the report has every figure (no timing thresholds)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tools import bench

# --- statistics --------------------------------------------------------------------------------


def test_percentile_interpolates_between_closest_ranks():
    values = list(range(1, 101))  # 1..100
    assert bench.percentile(values, 50) == pytest.approx(50.5)
    assert bench.percentile(values, 95) == pytest.approx(95.05)
    assert bench.percentile(values, 99) == pytest.approx(99.01)
    assert bench.percentile(values, 0) == 1
    assert bench.percentile(values, 100) == 100


def test_percentile_sorts_its_input_and_handles_one_value():
    assert bench.percentile([5.0, 1.0, 3.0], 50) == 3.0
    assert bench.percentile([0.2, 0.1], 50) == pytest.approx(0.15)
    assert bench.percentile([7.0], 99) == 7.0


def test_percentile_refuses_no_values_and_out_of_range():
    with pytest.raises(ValueError):
        bench.percentile([], 50)
    with pytest.raises(ValueError):
        bench.percentile([1.0], 101)


def test_summarize_gives_percentiles_and_rate():
    stats = bench.summarize([0.01] * 90 + [0.1] * 10, elapsed=2.0)
    assert stats.count == 100
    assert stats.p50 == pytest.approx(0.01)
    assert stats.p95 == pytest.approx(0.1)
    assert stats.max == pytest.approx(0.1)
    assert stats.mean == pytest.approx(0.019)
    assert stats.rate == pytest.approx(50.0)
    assert bench.summarize([], elapsed=1.0) is None


def test_messages_are_split_one_to_two_to_two():
    assert bench.split_messages(5000, (1, 8, 32)) == [1000, 2000, 2000]
    assert bench.split_messages(60, (1, 8, 32)) == [12, 24, 24]
    assert sum(bench.split_messages(5003, (1, 8, 32))) == 5003
    assert bench.split_messages(10, (4,)) == [10]


def test_an_answer_is_an_error_when_not_200_empty_or_the_apology():
    apology = "Sorry, try again."
    ok = json.dumps([{"recipient_id": "x", "text": "You will feel a sharp sting."}]).encode()
    assert bench._is_error(200, ok, apology) is None
    assert bench._is_error(500, ok, apology) == "HTTP 500"
    assert bench._is_error(200, b"[]", apology) == "empty reply"
    assert bench._is_error(200, b"", apology) == "empty reply"
    assert bench._is_error(200, b"<html>", apology) == "not JSON"
    sorry = json.dumps([{"recipient_id": "x", "text": apology}]).encode()
    assert bench._is_error(200, sorry, apology).startswith("apology")


def test_targets_pass_miss_and_say_by_how_much():
    passed = bench.at_most("p95", 0.080, 0.100, "ms", scale=1000)
    assert (passed.status, passed.measured) == ("PASS", "80.0 ms")
    assert "20.0 ms" in passed.detail
    missed = bench.at_most("p95", 0.150, 0.100, "ms", scale=1000)
    assert missed.status == "MISS"
    assert "over by 50.0 ms (+50%)" in missed.detail
    assert bench.at_most("training", None, 180, "s").status == "NOT MEASURED"


def _report(errors: int = 0, per_phase: int = 2000) -> bench.Report:
    report = bench.Report(machine={"CPU": "Test CPU 9000", "cores": "2"}, date="today",
                          commit="abc1234", load_before="0.1 / 0.2 / 0.3",
                          load_after="0.4 / 0.5 / 0.6", model="models/m.tar.gz")
    for concurrency, latency in ((1, 0.020), (8, 0.090), (32, 0.300)):
        phase = bench.Phase(concurrency=concurrency, planned=per_phase,
                            latencies=[latency] * per_phase, elapsed=per_phase / 80,
                            conversations=per_phase // 5)
        report.phases.append(phase)
    for _ in range(errors):
        report.phases[2].record_error("timeout", "will it hurt?")
    report.open_loop = bench.Phase(concurrency=0, planned=per_phase, rate=40.0,
                                   latencies=[0.050] * per_phase, elapsed=per_phase / 40,
                                   conversations=per_phase // 3)
    report.rss_after_warmup = {"Rasa server": 800 * bench.MIB, "action server": 120 * bench.MIB}
    report.rss_peak_load = {"Rasa server": 900 * bench.MIB, "action server": 121 * bench.MIB}
    report.rss_end = {"Rasa server": 850 * bench.MIB, "action server": 122 * bench.MIB}
    report.ready_s, report.cold_start_s, report.training_s = 17.0, 18.5, 125.0
    report.report_s, report.report_conversations = 3.2, 5000
    return report


def test_verdicts_over_a_whole_report():
    verdicts = {v.target: v for v in bench.verdicts(_report())}
    assert [v.status for v in verdicts.values()] == ["PASS"] * 9, verdicts
    assert verdicts["closed loop, 8 conversations: >= 60 messages/s"].measured == "80.0 msg/s"
    assert verdicts["open loop, 40 messages/s arriving: p95 <= 100 ms"].measured == "50.0 ms"
    assert verdicts["one conversation: p50 <= 25 ms"].measured == "20.0 ms"
    assert verdicts["RSS of all servers <= 2 GiB"].measured == "972 MiB"
    few = _report()
    few.report_conversations = 1200
    assert bench.verdicts(few)[-1].status == "INCOMPLETE"
    status = {v.target: v.status for v in bench.verdicts(_report(errors=3))}
    assert status["0 errors over 5,000 messages"] == "MISS"
    slow = _report()
    slow.open_loop.latencies = [0.150] * 2000
    slow.open_loop.record_error("HTTP 503", "hello")
    status = {v.target: v.status for v in bench.verdicts(slow)}
    assert status["open loop, 40 messages/s arriving: p95 <= 100 ms"] == "MISS"
    assert status["open loop: 0 errors"] == "MISS"
    short = {v.target: v for v in bench.verdicts(_report(per_phase=20))}
    assert short["0 errors over 5,000 messages"].status == "INCOMPLETE"
    assert "messages short" in short["0 errors over 5,000 messages"].detail
    empty = bench.verdicts(bench.Report())
    assert {v.status for v in empty} == {"NOT MEASURED"}


def test_the_markdown_report_has_every_figure():
    text = bench.render_markdown(_report(errors=1))
    assert "Test CPU 9000" in text and "abc1234" in text
    assert "| 1 | 2,000 | 400 | 80.0 | 20.0 | 20.0 | 20.0 | 20.0 | 0 |" in text
    assert "| 8 | 2,000 | 400 | 80.0 | 90.0 | 90.0 | 90.0 | 90.0 | 0 |" in text
    assert "| 32 | 2,000 | 400 | 80.0 | 300.0 | 300.0 | 300.0 | 300.0 | 1 |" in text
    assert "| 40 | 2,000 | 666 | 50.0 | 50.0 | 50.0 | 50.0 | 0 |" in text  # the open loop
    assert "| Rasa server | 800 | 900 | 850 |" in text
    assert "| action server | 120 | 121 | 122 |" in text
    assert "| **all servers** | **920** | | **972** |" in text
    assert "18.5 s" in text and "17.0 s" in text and "125.0 s" in text
    assert "timeout: 1" in text
    assert text.count("**PASS**") == 8 and text.count("**MISS**") == 1
    assert "| 5,000 | 3.2 s |" in text  # the insights report


def test_quick_and_default_options():
    full = bench.parse_args([])
    assert (full.messages, full.concurrency, full.skip_training) == (5000, (1, 8, 32), False)
    assert full.time_limit == 1200 and not full.check
    quick = bench.parse_args(["--quick", "--skip-training", "--check"])
    assert quick.messages < full.messages and quick.warmup < full.warmup
    assert quick.skip_training and quick.check
    assert bench.parse_args(["--quick", "--messages", "60"]).messages == 60
    with pytest.raises(SystemExit):
        bench.parse_args(["--concurrency", "0"])


# --- memory ------------------------------------------------------------------------------------


def _fake_proc(root: Path, processes: dict[int, tuple[int, int | None]]) -> Path:
    """A /proc with a status file per pid: {pid: (parent pid, VmRSS in kB or None)}."""
    for pid, (parent, rss) in processes.items():
        folder = root / str(pid)
        folder.mkdir(parents=True)
        lines = [f"Name:\tp{pid}", "State:\tS (sleeping)", f"Pid:\t{pid}", f"PPid:\t{parent}"]
        if rss is not None:
            lines.append(f"VmRSS:\t{rss:>8} kB")
        (folder / "status").write_text("\n".join(lines) + "\n")
    (root / "self").mkdir()
    (root / "meminfo").write_text("MemTotal:       24683520 kB\n")
    return root


def test_rss_is_summed_over_the_whole_process_tree(tmp_path):
    proc = _fake_proc(tmp_path, {
        1: (0, 10_000),
        100: (1, 1_000),    # the service
        101: (100, 2_000),  # its child
        102: (101, 500),    # a grandchild
        103: (100, None),   # a zombie child: no VmRSS
        200: (1, 99_999),   # someone else
    })
    assert sorted(bench.process_tree(100, proc)) == [100, 101, 102, 103]
    assert bench.rss_bytes(100, proc) == 1_000 * 1024
    assert bench.tree_rss_bytes(100, proc) == 3_500 * 1024
    assert bench.tree_rss_bytes(101, proc) == 2_500 * 1024
    assert bench.tree_rss_bytes(4242, proc) == 0  # gone


def test_rss_of_real_processes_counts_children(tmp_path):
    own = bench.rss_bytes(os.getpid())
    assert own > 0
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        assert child.pid in bench.process_tree(os.getpid())
        assert bench.tree_rss_bytes(os.getpid()) > own
    finally:
        child.kill()
        child.wait()


def test_pss_of_real_processes_is_at_most_their_rss():
    own_rss, own_pss = bench.rss_bytes(os.getpid()), bench.pss_bytes(os.getpid())
    assert 0 < own_pss <= own_rss
    assert bench.tree_pss_bytes(4242424) == 0  # gone


def test_machine_info_names_cpu_cores_memory_and_versions(tmp_path):
    proc = _fake_proc(tmp_path, {})
    (proc / "cpuinfo").write_text("processor\t: 0\nmodel name\t: Test CPU 9000\n")
    info = bench.machine_info(proc)
    assert info["CPU"] == "Test CPU 9000"
    assert info["memory"] == "23.5 GiB"
    assert info["cores"].startswith(str(os.cpu_count()))
    assert re.fullmatch(r"3\.\d+\.\d+", info["Rasa"])
    assert info["Python"].startswith("3.")


# --- one short run against the real servers ----------------------------------------------------


@pytest.mark.e2e
def test_quick_benchmark_reports_every_figure(trained_model, tmp_path):
    output = tmp_path / "benchmarks.md"
    code = bench.main([
        "--quick", "--skip-training", "--messages", "60", "--warmup", "8", "--open-messages", "80",
        "--model", str(trained_model), "--output", str(output), "--time-limit", "600",
    ])
    assert code == 0
    text = output.read_text()
    number = r"\d[\d,]*(?:\.\d+)?"
    for concurrency in (1, 8, 32):
        row = rf"\| {concurrency} \| {number} \| {number} \| {number} \| {number} \| {number} "
        row += rf"\| {number} \| {number} \| {number} \|"
        assert re.search(row, text), f"no latency row for {concurrency} conversations"
    assert "| **all** | **60** |" in text
    # every server, each Rasa process and the router included (RASA_PROCESSES, one per core)
    for service in (r"Rasa server( \d)?", "action server", "web server"):
        assert re.search(rf"\| {service} \| {number} \| {number} \| {number} \|", text)
    assert re.search(rf"\| \*\*all servers\*\* \| \*\*{number}\*\* \|", text)
    assert re.search(rf"^\| 40 \| {number} \| {number} \| {number} \|", text,
                     re.MULTILINE), "open loop row"
    assert re.search(rf"first successful REST answer \| {number} s \|", text)
    assert "skipped: --skip-training" in text
    for field in ("CPU", "cores", "memory", "Python", "Rasa"):
        assert re.search(rf"^\| {field} \| \S", text, re.MULTILINE), field
    assert re.search(r"^- commit: \w+", text, re.MULTILINE)
    assert re.search(rf"^\| {number} \| {number} s \|$", text, re.MULTILINE), "report time"
    for target in ("closed loop", "open loop", "one conversation", "0 errors", "cold start",
                   "full training", "RSS of all servers", "insights report"):
        assert re.search(rf"^\| {target}.*\*\*(PASS|MISS|INCOMPLETE|NOT MEASURED)\*\*",
                         text, re.MULTILINE), target
    # where a turn's time goes: measured inside the real Rasa server (bot/probe.py)
    assert "## Where a turn's time goes" in text
    for step in ("turn in the processor (total)", "NLU parse (total)", "policy prediction",
                 "tracker store: retrieve", "tracker store: save", "action server round trip",
                 "validating the action server's reply",
                 "graph node: bot.classifier.HybridIntentClassifier",
                 "graph node: bot.featurizers.SentenceEmbeddings",
                 "graph node: bot.components.red_flag_guard.RedFlagGuard", "graph overhead"):
        assert re.search(rf"^\| {re.escape(step)}[^|]* \| {number} \| {number} \| {number} "
                         rf"\| {number} \|$", text, re.MULTILINE), step
    assert re.search(rf"CPU per message of each server .*Rasa server( \d)? {number} ms", text)


def test_the_report_says_when_the_per_step_probe_was_not_run():
    text = bench.render_markdown(_report())
    assert "## Where a turn's time goes" in text and "Not measured (`--probe 0`" in text
    assert bench.parse_args(["--probe", "0"]).probe == 0
    assert bench.parse_args(["--quick"]).probe < bench.parse_args([]).probe


def test_per_step_table_medians_means_and_graph_overhead(tmp_path):
    from bot import probe

    path = tmp_path / "probe.jsonl"
    path.write_text("\n".join(json.dumps({"steps": steps}) for steps in (
        {"graph runs (total)": [10.0, 12.0, 3], "graph node: DIETClassifier": [4.0, 8.0, 1],
         "graph node: RulePolicy": [2.0, 2.0, 2], "tracker store: save": [5.0, 9.0, 1]},
        {"graph runs (total)": [12.0, 14.0, 3], "graph node: DIETClassifier": [6.0, 9.0, 1],
         "graph node: RulePolicy": [2.0, 2.0, 2]},
    )) + "\n")
    rows = {row[0]: row[1:] for row in probe.table(probe.read(path))}
    assert rows["graph runs (total)"] == (11.0, 11.0, 13.0, 3.0)
    assert rows["graph node: DIETClassifier"] == (5.0, 5.0, 8.5, 1.0)
    assert rows["tracker store: save"] == (2.5, 2.5, 4.5, 0.5)  # 0 when a message had none
    assert rows["graph overhead (graph runs minus their nodes)"][:2] == (4.0, 4.0)
    assert probe.table([]) == [] and probe.read(tmp_path / "none") == []
    assert probe.markdown([("x", 1.0, 2.0, 3.0, 1.0)])[-1] == "| x | 1.00 | 2.00 | 3.00 | 1.0 |"


def test_notes_say_when_throughput_does_not_grow_with_concurrency():
    report = _report()
    options = bench.parse_args(["--skip-training"])
    bench._notes(report, options, took=60.0)
    assert any("Throughput hardly grows" in note for note in report.notes)


def test_the_installed_packages_are_checked_against_the_lock(tmp_path):
    assert bench.lock_check().startswith("as requirements.lock (")  # make setup installs it
    lock = tmp_path / "requirements.lock"
    lock.write_text("# comment\npytest==0.0.1\nno-such-package-here==1.0\n", encoding="utf-8")
    result = bench.lock_check(lock)
    assert result.startswith("DIFFER from requirements.lock: ")
    assert "no-such-package-here missing (lock: 1.0)" in result and "(lock: 0.0.1)" in result

"""Publication gate: drafts in tests/fixtures/drafts checked against seeds/.

Drafts (written for these tests, not real reporting):
- faithful.txt: seed quotes verbatim (one trimmed), facts the seeds report; must pass.
- altered_quote.txt: the Pentagon's "Overnight, the PRC informed ..." quote with
  words changed; must be blocked with quote_altered.
- invented_quote.txt: a quote no seed holds; must be blocked with quote_unsupported.
- planted_errors.txt: issue 11's three planted errors (a weekday the seeds do not give, three
  invented figures); must be blocked with a date_conflict and three figure_unsupported (README example).
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from factcheck.cli.gate import GateCommand, gate_command
from factcheck.cli.review import review_app
from factcheck.errors import InputError
from factcheck.gate import Policy, load_policy, quote_in_source

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
DRAFTS = Path(__file__).resolve().parent / "fixtures" / "drafts"
EXAMPLE_POLICY = ROOT / "factcheck.toml.example"

needs_seeds = pytest.mark.skipif(not SEEDS.exists(), reason="seeds/ not present")


def _app() -> typer.Typer:
    from factcheck.cli.check import check

    app = typer.Typer()
    app.command("gate", cls=GateCommand)(gate_command)
    app.command("check")(check)
    app.add_typer(review_app, name="review")
    return app


@pytest.fixture
def fake_models(monkeypatch: pytest.MonkeyPatch, fake_embedder):
    """Every embedder the CLI asks for is the deterministic fake: fast, offline."""
    monkeypatch.setattr("factcheck.pipeline.make_embedder", lambda *a, **k: fake_embedder)
    monkeypatch.setattr("factcheck.cli.check._embedder", lambda *a, **k: fake_embedder)
    return fake_embedder


def _gate(*args: str, input: bytes | None = None):
    return CliRunner().invoke(_app(), ["gate", *args], input=input)


# ------------------------------------------------------------------- policy


def _write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "factcheck.toml"
    p.write_text(text, encoding="utf-8")
    return p


def test_gate_policy_defaults_without_a_file() -> None:
    assert load_policy(None) == Policy()


def test_gate_policy_example_file_documents_the_defaults() -> None:
    assert load_policy(EXAMPLE_POLICY) == Policy()


@pytest.mark.parametrize(
    "text, expected",
    [
        ("[gate]\nblock_unsupported_claims = true\n", {"block_unsupported_claims": True}),
        ('[gate]\nblock_kinds = ["contradiction"]\n', {"block_kinds": ("contradiction",)}),
        (
            '[gate]\nblock_severities = ["high"]\naccepted_findings_pass = false\n',
            {"block_severities": ("high",), "accepted_findings_pass": False},
        ),
        ("", {}),  # an empty file: the defaults
    ],
)
def test_gate_policy_parses_toml(tmp_path: Path, text: str, expected: dict) -> None:
    pol = load_policy(_write(tmp_path, text))
    for key, value in expected.items():
        assert getattr(pol, key) == value


@pytest.mark.parametrize(
    "text, problem",
    [
        ("[gate\nblock_kinds = 1", "not valid TOML"),
        ("block_kinds = []\n", "unknown key(s) block_kinds"),  # outside [gate]
        ("[gate]\nblock_kind = []\n", "block_kind"),  # typo
        ('[gate]\nblock_kinds = ["quote_alterd"]\n', "unknown kind"),
        ('[gate]\nblock_severities = ["critical"]\n', "unknown severity"),
        ('[gate]\nblock_single_source = "sometimes"\n', "block_single_source"),
        ("gate = 3\n", "must be a table"),
    ],
)
def test_gate_policy_bad_file_is_input_error(tmp_path: Path, text: str, problem: str) -> None:
    with pytest.raises(InputError) as err:
        load_policy(_write(tmp_path, text))
    assert problem in str(err.value)


def test_gate_policy_missing_file_is_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="policy file not found"):
        load_policy(tmp_path / "nope.toml")


# ------------------------------------------------------------ quote matching

SOURCE = ["Overnight, the PRC informed the U.S. that they have declined our invitation,", "the Pentagon said."]


@pytest.mark.parametrize(
    "draft, expected",
    [
        ("Overnight, the PRC informed the US that they have declined our invitation", "verbatim"),
        ("the PRC informed the U.S. that they have declined", "trimmed"),
        ("declined our invitation, the Pentagon said", "trimmed"),  # a quote split around its attribution
        ("Overnight, the PRC told the U.S. that they have declined our invitation", None),  # a word changed
        ("Overnight, the PRC informed the U.S. that they have declined our invitation again", None),  # words added
        ("invitation declined", None),
        ("", None),
    ],
)
def test_gate_quote_in_source(draft: str, expected) -> None:
    assert quote_in_source(draft, SOURCE) == expected


# ---------------------------------------------------------- the gate, CLI


@pytest.mark.model
@needs_seeds
def test_gate_faithful_draft_passes(fake_models) -> None:
    res = _gate(str(DRAFTS / "faithful.txt"), "--sources", str(SEEDS))
    assert res.exit_code == 0, res.output
    assert res.output.startswith("PUBLISH")


@pytest.mark.model
@needs_seeds
def test_gate_altered_quote_is_blocked_with_that_reason(fake_models) -> None:
    res = _gate(str(DRAFTS / "altered_quote.txt"), "--sources", str(SEEDS))
    assert res.exit_code == 1, res.output
    lines = res.output.splitlines()
    assert lines[0].startswith("BLOCKED")
    altered = [line for line in lines if "quote_altered" in line]
    assert altered, res.output
    # evidence cited as file:line, the draft's and a seed's
    assert any("altered_quote.txt:5" in line and "seeds/" in line for line in altered), res.output
    assert any("[-informed-]" in line and "{+told+}" in line for line in altered), res.output  # word diff


@pytest.mark.model
@needs_seeds
def test_gate_invented_quote_is_blocked(fake_models) -> None:
    res = _gate(str(DRAFTS / "invented_quote.txt"), "--sources", str(SEEDS))
    assert res.exit_code == 1, res.output
    assert "quote_unsupported" in res.output


PENTAGON_000 = (
    "“The Department believes strongly in the importance of maintaining open lines of "
    "military-to-military communication between Washington and Beijing to ensure that competition "
    "does not veer into conflict,” the Pentagon said in a statement."
)
OVERNIGHT = (
    "“Overnight, the PRC informed the U.S. that they have declined our early May invitation for Secretary "
    "Austin to meet with PRC Minister of National Defense Li Shangfu in Singapore this week,”"
)


@pytest.mark.model
@needs_seeds
@pytest.mark.parametrize(
    "body, code, kind",
    [
        # verbatim from 000; 003 words the statement differently: the sources differ, the draft is faithful
        (PENTAGON_000, 0, "quote_sources_differ"),
        # words from 000's own prose put in quotation marks
        (
            "Pentagon officials said the decision “shuts the door for now on a meeting between Austin and Li Shangfu”.",
            1,
            "quote_unattributed",
        ),
        # the Pentagon's words credited to a Chinese spokeswoman
        (OVERNIGHT + " Chinese foreign ministry spokeswoman Mao Ning said.", 1, "quote_attribution"),
        # scare quotes: not a quote of anyone, nothing to check
        (
            "The so-called “peace dividend” never arrived, and relations between the two militaries kept "
            "getting worse.",
            0,
            None,
        ),
    ],
)
def test_gate_quote_cases(fake_models, tmp_path: Path, body: str, code: int, kind) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_text("Pentagon statement\n\n" + body + "\n", encoding="utf-8")
    res = _gate(str(draft), "--sources", str(SEEDS), "--format", "json")
    assert res.exit_code == code, res.output
    data = json.loads(res.stdout)
    kinds = {r["kind"] for r in data["reasons"]}
    if kind:
        assert kind in kinds
    blocking = {r["kind"] for r in data["reasons"] if r["blocks"]}
    assert bool(blocking) == (code == 1)
    assert not kinds & {"quote_unsupported", "quote_altered"} or code == 1
    for r in data["reasons"]:  # every piece of evidence is a real span of its article
        assert all(e["text"] and len(e["text"]) == e["end"] - e["start"] for e in r["evidence"])


@needs_seeds
@pytest.mark.model
def test_gate_json_output_for_ci(fake_models) -> None:
    res = _gate(str(DRAFTS / "altered_quote.txt"), "--sources", str(SEEDS), "--format", "json")
    assert res.exit_code == 1
    data = json.loads(res.stdout)
    assert data["decision"] == "blocked" and data["exit_code"] == 1
    blocking = [r for r in data["reasons"] if r["blocks"]]
    assert {r["kind"] for r in blocking} >= {"quote_altered"}
    assert all(r["evidence"] and r["finding_id"].startswith("F-") for r in blocking)
    assert {c["status"] for c in data["claims"]} <= {"supported", "contradicted", "unsupported"}
    altered_quotes = [q for q in data["quotes"] if q["status"] == "altered"]
    assert altered_quotes and altered_quotes[0]["source"]["path"].startswith("seeds/")


@pytest.mark.model
@needs_seeds
def test_gate_policy_can_let_a_kind_pass(fake_models, tmp_path: Path) -> None:
    pol = _write(tmp_path, '[gate]\nblock_kinds = ["contradiction", "quote_unsupported"]\n')
    res = _gate(str(DRAFTS / "altered_quote.txt"), "--sources", str(SEEDS), "--policy", str(pol))
    assert res.exit_code == 0, res.output


@pytest.mark.model
@needs_seeds
def test_gate_unsupported_claims_block_only_when_policy_says(fake_models, tmp_path: Path) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_text(
        (DRAFTS / "faithful.txt").read_text(encoding="utf-8")
        + "\nThe city council approved a new budget for public libraries after a long debate on Thursday.\n",
        encoding="utf-8",
    )
    assert _gate(str(draft), "--sources", str(SEEDS)).exit_code == 0
    pol = _write(tmp_path, "[gate]\nblock_unsupported_claims = true\n")
    res = _gate(str(draft), "--sources", str(SEEDS), "--policy", str(pol))
    assert res.exit_code == 1 and "unsupported_claim" in res.output


@pytest.mark.model
@needs_seeds
@pytest.mark.parametrize(
    "passes, status, note",
    [
        (True, "accept", "quote checked against the Pentagon transcript"),
        (True, "dismiss", "false alarm: the Pentagon issued both wordings"),
        (False, "confirm", "real"),
        (False, "accept", None),  # issue 11: a decision without a note is not honoured (require_note)
        (False, "dismiss", "  "),  # a blank note is no note
    ],
)
def test_gate_reviewed_findings_pass_when_accepted(
    fake_models, tmp_path: Path, passes: bool, status: str, note
) -> None:
    """Workflow: gate blocks -> check draft+sources -> a reviewer accepts, saying why -> gate with --reviews passes."""
    src = tmp_path / "sources"
    shutil.copytree(SEEDS, src)
    draft = tmp_path / "altered_quote.txt"
    shutil.copy(DRAFTS / "altered_quote.txt", draft)
    report = tmp_path / "reports" / "draft"
    runner = CliRunner()
    res = runner.invoke(_app(), ["gate", str(draft), "--sources", str(src), "--format", "json"])
    assert res.exit_code == 1
    blocking = [r["finding_id"] for r in json.loads(res.stdout)["reasons"] if r["blocks"]]
    res = runner.invoke(
        _app(),
        ["check", str(draft), str(src), "--out", str(report), "--claims-dir", str(tmp_path / "claims"), "--quiet"],
    )
    assert res.exit_code == 0, res.output
    for fid in blocking:  # the gate's ids are the report's ids
        res = runner.invoke(
            _app(),
            [
                "review",
                status,
                fid,
                "--report",
                str(report),
                "--by",
                "ed",
                *(["--note", note] if note is not None else []),
            ],
        )
        assert res.exit_code == 0, res.output
    res = runner.invoke(_app(), ["gate", str(draft), "--sources", str(src), "--reviews", str(report)])
    assert res.exit_code == (0 if passes else 1), res.output
    if passes:
        assert "passed after review" in res.output and "by ed" in res.output
    elif status != "confirm":
        assert "without a note (require_note = true)" in res.output
        pol = _write(tmp_path, "[gate]\nrequire_note = false\n")
        res = runner.invoke(
            _app(), ["gate", str(draft), "--sources", str(src), "--reviews", str(report), "--policy", str(pol)]
        )
        assert res.exit_code == 0, res.output  # a desk that does not require notes
    pol = _write(tmp_path, "[gate]\naccepted_findings_pass = false\n")
    res = runner.invoke(
        _app(), ["gate", str(draft), "--sources", str(src), "--reviews", str(report), "--policy", str(pol)]
    )
    assert res.exit_code == 1


# ------------------------------------------------------------- fail closed


@pytest.mark.parametrize(
    "args, message",
    [
        (["--sources", "no/such/folder"], "source folder not found"),
        (["--sources", str(SEEDS), "--policy", "no/such.toml"], "policy file not found"),
        (["--sources", str(SEEDS), "--format", "xml"], "unknown format"),
    ],
)
def test_gate_bad_input_exits_2(fake_models, args: list[str], message: str) -> None:
    res = _gate(str(DRAFTS / "faithful.txt"), *args)
    assert res.exit_code == 2, res.output
    assert message in res.output


def test_gate_missing_draft_exits_2(fake_models, tmp_path: Path) -> None:
    res = _gate(str(tmp_path / "draft.txt"), "--sources", str(SEEDS))
    assert res.exit_code == 2 and "draft not found" in res.output


def test_gate_missing_sources_option_exits_2() -> None:
    res = _gate(str(DRAFTS / "faithful.txt"))
    assert res.exit_code == 2


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_gate_exception_inside_fails_closed(fake_models, monkeypatch: pytest.MonkeyPatch, fmt: str) -> None:
    def broken(*a, **k):
        raise ZeroDivisionError("bug in a comparator")

    monkeypatch.setattr("factcheck.gate.gate", broken)
    res = _gate(str(DRAFTS / "faithful.txt"), "--sources", str(SEEDS), "--format", fmt)
    assert res.exit_code == 2
    assert "could not run" in res.output and "not publishing" in res.output
    if fmt == "json":
        assert json.loads(res.stdout)["decision"] == "error"


def test_gate_model_missing_exits_2(monkeypatch: pytest.MonkeyPatch) -> None:
    from factcheck.errors import ModelError

    def no_model(*a, **k):
        raise ModelError("all-MiniLM-L6-v2", "model not installed", "run make venv")

    monkeypatch.setattr("factcheck.pipeline.make_embedder", no_model)
    res = _gate(str(DRAFTS / "faithful.txt"), "--sources", str(SEEDS))
    assert res.exit_code == 2 and "model not installed" in res.output


@needs_seeds
@pytest.mark.model
def test_gate_draft_inside_sources_is_not_its_own_source(fake_models, tmp_path: Path) -> None:
    src = tmp_path / "sources"
    shutil.copytree(SEEDS, src)
    shutil.copy(DRAFTS / "invented_quote.txt", src / "invented_quote.txt")
    res = _gate(str(src / "invented_quote.txt"), "--sources", str(src))
    assert res.exit_code == 1, res.output
    assert "quote_unsupported" in res.output and "is the draft itself" in res.output


# ------------------------------------------------------------------ issue 12


def test_gate_missing_reviews_path_is_error(fake_models, tmp_path: Path) -> None:
    """Case 8: a --reviews path with neither a report nor a reviews file was ignored without a word."""
    res = _gate(str(DRAFTS / "faithful.txt"), "--sources", str(SEEDS), "--reviews", str(tmp_path / "reports" / "typo"))
    assert res.exit_code == 2, res.output
    assert "typo.reviews.json not found" in res.output and "check --out" in res.output
    assert "report this" not in res.output


def test_gate_unreadable_draft_or_policy_is_one_line_error(
    fake_models, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Case 6: permission denied is the user's to fix: exit 2 with the file and the fix, not 'report this'."""
    draft = tmp_path / "draft.txt"
    shutil.copy(DRAFTS / "faithful.txt", draft)
    policy = _write(tmp_path, "[gate]\n")
    denied = {draft, policy}
    real_bytes, real_text = Path.read_bytes, Path.read_text

    def no(self):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", lambda self: no(self) if self in denied else real_bytes(self))
    monkeypatch.setattr(
        Path, "read_text", lambda self, *a, **k: no(self) if self in denied else real_text(self, *a, **k)
    )
    for args, name in (([], "draft.txt"), (["--policy", str(policy)], "factcheck.toml")):
        res = _gate(str(draft), "--sources", str(SEEDS), *args)
        assert res.exit_code == 2, res.output
        assert name in res.output and "permission denied" in res.output and "report this" not in res.output


@needs_seeds
@pytest.mark.model
def test_gate_damaged_cache_is_healed_not_report_this(
    fake_embedder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Case 4: a junk embedding cache made the gate exit 2 with 'report this'; now it heals and decides."""
    from factcheck.embed import CachedEmbedder

    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "embeddings.sqlite3").write_bytes(b"\x00junk" * 50)
    monkeypatch.setattr("factcheck.pipeline.make_embedder", lambda *a, **k: CachedEmbedder(fake_embedder, cache))
    res = _gate(str(DRAFTS / "faithful.txt"), "--sources", str(SEEDS))
    assert res.exit_code == 0, res.output
    assert "PUBLISH" in res.output and "report this" not in res.output
    assert "warning: embedding cache" in res.output and "moved aside" in res.output


# ------------------------------------------------------------------ issue 11


@pytest.mark.model
@needs_seeds
def test_gate_reads_the_draft_from_standard_input(fake_models) -> None:
    text = (DRAFTS / "faithful.txt").read_bytes()
    res = _gate("-", "--sources", str(SEEDS), "--published", "2023-05-30", input=text)
    assert res.exit_code == 0, res.output
    assert res.output.startswith("PUBLISH") and "<stdin>" in res.output
    res = _gate("-", "--sources", str(SEEDS), "--format", "json", input=(DRAFTS / "invented_quote.txt").read_bytes())
    assert res.exit_code == 1 and json.loads(res.stdout)["draft"] == "<stdin>"


@pytest.mark.model
@needs_seeds
def test_gate_reads_a_json_draft_from_standard_input(fake_models) -> None:
    """A CMS posts the draft as one JSON object; its own 'published' dates it."""
    body = json.dumps(
        {
            "title": "China declines Austin meeting",
            "published": "2023-05-30",
            "text": (DRAFTS / "faithful.txt").read_text(encoding="utf-8"),
        }
    )
    res = _gate("-", "--sources", str(SEEDS), "--format", "json", input=body.encode())
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["draft_date"]["source"] == "draft"


@pytest.mark.model
@needs_seeds
def test_gate_reads_front_matter_of_a_draft_on_standard_input(fake_models) -> None:
    """Front matter dates a draft on stdin as it dates a .md file; line numbers count from the file's first line."""
    body = (
        "---\npublished: 2023-05-30\n---\nPentagon statement\n\nChina has rebuffed a request from U.S. Defense "
        "Secretary Lloyd Austin for a meeting on the sidelines of an annual security forum in Singapore this "
        "weekend, the Pentagon announced on Wednesday.\n"
    )
    res = _gate("-", "--sources", str(SEEDS), "--format", "json", input=body.encode())
    data = json.loads(res.stdout)
    assert data["draft_date"]["value"] == "2023-05-30" and data["draft_date"]["source"] == "draft"
    (reason,) = [r for r in data["reasons"] if r["blocks"]]
    assert reason["kind"] == "date_conflict" and reason["draft"]["line"] == 6


@pytest.mark.parametrize(
    "args, stdin, problem",
    [
        (["-", "--sources", str(SEEDS)], b"", "empty"),
        (["-", "--sources", str(SEEDS)], b"\xff\xfeC\x00h\x00", "UTF-16"),
        (["-", "--sources", str(SEEDS)], b'{"title": "no text"}', "no 'text' field"),
        ([str(DRAFTS / "faithful.txt")], None, "no source folder given"),  # --sources left out
        ([str(DRAFTS / "faithful.txt"), "--sources", str(SEEDS), "--published", "May 30"], None, "not a date"),
        ([str(DRAFTS / "faithful.txt"), "--sources", str(SEEDS), "--bogus"], None, "No such option: --bogus"),
        ([], None, "Missing argument"),
        ([str(DRAFTS / "faithful.txt"), "--sources"], None, "requires an argument"),
    ],
)
def test_gate_every_error_exits_2_with_json(fake_models, args: list[str], stdin, problem: str) -> None:
    """Issue 11: a usage error printed a box; a CMS asking for JSON always gets the one error object."""
    res = (
        _gate(*args, "--format", "json", input=stdin)
        if "--sources" not in args[-1:]
        else CliRunner().invoke(_app(), ["gate", "--format", "json", *args], input=stdin)
    )
    assert res.exit_code == 2, res.output
    data = json.loads(res.stdout)
    assert data["decision"] == "error" and data["exit_code"] == 2 and data["schema_version"] == 2
    assert problem in data["error"] and data["fix"]


@pytest.mark.parametrize("where", ["draft", "source"])
def test_gate_unreadable_draft_or_source_exits_2(fake_models, tmp_path: Path, where: str) -> None:
    src = tmp_path / "sources"
    shutil.copytree(SEEDS, src)
    draft = tmp_path / "draft.txt"
    shutil.copy(DRAFTS / "faithful.txt", draft)
    bad = draft if where == "draft" else src / "005_binary.txt"
    bad.write_bytes(b"\x00\x01binary\x00")
    res = _gate(str(draft), "--sources", str(src), "--format", "json")
    assert res.exit_code == 2, res.output
    data = json.loads(res.stdout)
    assert data["decision"] == "error" and "binary file" in data["problem"] and bad.name in data["where"]


def _all_numbers_typed(value) -> bool:
    """No number written as a string anywhere in a reason's detail."""
    return not (isinstance(value, str) and re.fullmatch(r"-?\d+(?:\.\d+)?", value.strip()))


@pytest.mark.model
@needs_seeds
def test_gate_json_schema(fake_models) -> None:
    """schema_version, typed numbers, and for every reason the fact, the draft span and the source evidence."""
    draft = (DRAFTS / "altered_quote.txt").read_text(encoding="utf-8") + (
        "\nChina has turned down 14 requests for talks, officials said.\n"
        "\nThe city council approved a new budget for public libraries after a long debate.\n"
    )
    res = _gate("-", "--sources", str(SEEDS), "--published", "2023-05-30", "--format", "json", input=draft.encode())
    data = json.loads(res.stdout)
    assert data["schema_version"] == 2 and data["exit_code"] == res.exit_code == 1
    assert set(data) >= {
        "decision",
        "draft",
        "draft_date",
        "sources",
        "reasons",
        "claims",
        "quotes",
        "facts",
        "unchecked",
        "assumptions",
        "policy",
        "warnings",
    }
    kinds = {r["kind"] for r in data["reasons"]}
    assert {"quote_altered", "figure_unsupported", "unsupported_claim"} <= kinds
    for r in data["reasons"]:
        assert r["finding_id"].startswith("F-") and r["fact"] and r["fact"]["kind"] and r["fact"]["label"]
        assert isinstance(r["sources"], list) and isinstance(r["evidence"], list)
        assert all(_all_numbers_typed(v) for v in r["detail"].values()), r["detail"]
        if r["kind"] != "sources_undated":
            assert r["draft"] and r["draft"]["path"] == "<stdin>"
            assert r["draft"]["text"] and len(r["draft"]["text"]) == r["draft"]["end"] - r["draft"]["start"]
        if r["kind"] == "unsupported_claim":  # issue 11: its detail was empty
            assert isinstance(r["detail"]["cosine"], float) and r["sources"]
        if r["kind"] in ("quote_altered", "number_conflict", "date_conflict"):
            assert r["sources"] and all(e["article_id"] != r["draft"]["article_id"] for e in r["sources"])
    for c in data["claims"]:
        assert isinstance(c["cosine"], float)


def test_gate_typed_detail_turns_numeric_strings_into_numbers() -> None:
    """compare.contradiction writes cosine as "0.93"; the gate's answer carries 0.93."""
    from factcheck.gate import typed_detail

    assert typed_detail({"cosine": "0.93", "versions": 3, "sequence": "59 → 78", "n": "12"}) == {
        "cosine": 0.93,
        "versions": 3,
        "sequence": "59 → 78",
        "n": 12,
    }


@pytest.mark.model
@needs_seeds
def test_gate_planted_errors_of_issue_11_are_all_caught(fake_models) -> None:
    """Issue 11: "on Wednesday" (the seeds say Monday) and 14 requests / 24 combat aircraft / 600 delegates passed."""
    res = _gate(
        str(DRAFTS / "planted_errors.txt"), "--sources", str(SEEDS), "--published", "2023-05-30", "--format", "json"
    )
    assert res.exit_code == 1, res.output
    blocking = [(r["kind"], r["draft"]["text"]) for r in json.loads(res.stdout)["reasons"] if r["blocks"]]
    assert sorted(blocking) == [
        ("date_conflict", "Wednesday"),
        ("figure_unsupported", "14 requests"),
        ("figure_unsupported", "24 combat aircraft"),
        ("figure_unsupported", "600 delegates"),
    ]

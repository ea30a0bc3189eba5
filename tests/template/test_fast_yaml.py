"""The fast YAML reader must give exactly what PyYAML gives, or step aside."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
import yaml

from calor.template import _fast_yaml
from calor.template.loader import _Loader

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"


def both(text: str) -> tuple[object, object]:
    return _fast_yaml.load(text, min_size=0), yaml.load(text, Loader=_Loader)


@pytest.mark.parametrize(
    "text",
    [
        "a: yes\nb: No\nc: on\nd: OFF\ne: true\nf: y\n",
        "off: 1\non: 2\n1: one\n2.5: x\n",
        "a: 'yes'\nb: \"on\"\nc: '010'\n",
        "a: 010\nb: 0x1F\nc: 0b101\nd: 1_000\ne: 190:20:30\nf: -0\ng: +12\n",
        "a: 1e3\nb: 1.0e+3\nc: .5\nd: -.inf\ne: 3.\nf: 1_0.5\ng: 1:30.5\n",
        "a: ~\nb: null\nc: NULL\nd:\ne: ''\n",
        "a: 2016-10-14\nb: 2001-12-14t21:59:43.10-05:00\n",
        "a: |\n  line one\n  line two\nb: >\n  folded\n  text\n",
        'a: "tab\\there \\u00e9 \\n"\nb: \'it\'\'s\'\n',
        "a: [1, two, {b: c}, [d]]\nb: {x: [y, z]}\n",
        "- a\n- b: 1\n  c: 2\n- - nested\n",
        "a: héllo wörld\nb: 中文\n",
        "heat_template_version: 2016-10-14\nresources:\n  r: {type: OS::Heat::None}\n",
    ],
)
def test_fast_reader_agrees_with_pyyaml(text: str) -> None:
    fast, slow = both(text)
    assert fast is not _fast_yaml.FALLBACK
    assert fast == slow


def test_nan_is_read_as_nan() -> None:
    fast, _ = both("a: .nan\n")
    assert isinstance(fast, dict) and math.isnan(fast["a"])


@pytest.mark.parametrize(
    "text",
    [
        "a: &x 1\nb: *x\n",
        "a: !!str 1\n",
        "base: &b {x: 1}\nderived:\n  <<: *b\n  y: 2\n",
        "---\na: 1\n---\nb: 2\n",
        "a:\tb\n",
        "just a scalar\n",
        "a: [unclosed\n",
    ],
)
def test_texts_it_cannot_match_exactly_go_to_pyyaml(text: str) -> None:
    assert _fast_yaml.load(text, min_size=0) is _fast_yaml.FALLBACK


def test_a_refused_text_prints_nothing(capfd: pytest.CaptureFixture[str]) -> None:
    text = 'a: "multi\nline not indented"\nb: {x: [1,\n  2]}\n' + "c: [\n"
    assert _fast_yaml.load(text, min_size=0) is _fast_yaml.FALLBACK
    out, err = capfd.readouterr()
    assert (out, err) == ("", "")


def test_small_texts_are_left_to_pyyaml() -> None:
    assert _fast_yaml.load("a: 1\n") is _fast_yaml.FALLBACK


@pytest.mark.skipif(not CORPUS.exists(), reason=f"shared corpus not found at {CORPUS}")
def test_every_corpus_file_reads_the_same_either_way() -> None:
    checked = 0
    for path in sorted(CORPUS.rglob("*")):
        if path.suffix not in (".yaml", ".yml", ".template", ".json"):
            continue
        text = path.read_text()
        try:
            slow = yaml.load(text, Loader=_Loader)
        except yaml.YAMLError:
            continue
        fast = _fast_yaml.load(text, min_size=0)
        if fast is not _fast_yaml.FALLBACK:
            assert fast == slow, path
            checked += 1
    assert checked > 200

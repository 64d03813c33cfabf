"""Every paragraph of both reports has a place in the reference record, or a reason not to."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from govflow import Decision
from govflow.scenarios import spb
from govflow.scenarios.spb_paragraphs import PARAGRAPHS, REPORTS

SEEDS = Path(__file__).parent / "seeds"


def folded(text: str) -> str:
    # The reports are extracted from PDFs: fold white space and curly apostrophes.
    return re.sub(r"\s+", " ", text).replace("\u2019", "'")


def paragraphs(item: str) -> dict[str, str]:
    """The report's Summary, Recommendation and numbered paragraphs, by their names."""
    text = folded((SEEDS / REPORTS[item]).read_text(encoding="utf-8"))
    found = {
        "Summary": text[text.index(" Summary ") : text.index(" Recommendation ")],
        "Recommendation": text[text.index(" Recommendation ") : text.index(" Action ")],
    }
    # Numbered paragraphs in order: "N. " not part of a longer number ("2012. ") and
    # not a sub-paragraph ("2.1." is read with its paragraph).
    starts: list[tuple[str, int]] = []
    number, position = 1, 0
    while match := re.compile(rf"(?<![\d.]){number}\. ").search(text, position):
        starts.append((str(number), match.start()))
        number, position = number + 1, match.end()
    for (name, start), (_, end) in zip(starts, [*starts[1:], ("", len(text))], strict=True):
        found[name] = text[start:end]
    return found


def cited(decision: Decision) -> set[tuple[str, str]]:
    """The (item, paragraph) pairs a record item's source names, ranges spelt out."""
    default = re.search(r"Item \d+", decision.source.document)
    assert default is not None, decision.source
    pairs = set()
    for ref in str(decision.source.locator).split(";"):
        named = re.search(r"Item \d+", ref)
        item = named.group() if named else default.group()
        for section in ("Summary", "Recommendation"):
            if section in ref:
                pairs.add((item, section))
        for first, last in re.findall(r"paragraphs? (\d+)(?:-(\d+))?", ref):
            for number in range(int(first), int(last or first) + 1):
                pairs.add((item, str(number)))
    return pairs


RECORD = {decision.id: decision for decision in spb.decisions()}


def test_the_reports_are_the_ones_the_map_was_read_against() -> None:
    for item in REPORTS:
        assert len(paragraphs(item)) == {"Item 4": 11, "Item 8": 17}[item]


@pytest.mark.parametrize("item", sorted(REPORTS))
def test_every_paragraph_has_a_place_in_the_record_or_a_reason_to_leave_it_out(item: str) -> None:
    listed = [p.paragraph for p in PARAGRAPHS if p.item == item]
    assert len(listed) == len(set(listed)), "a paragraph is listed twice"
    assert set(listed) == set(paragraphs(item))
    for p in (p for p in PARAGRAPHS if p.item == item):
        assert bool(p.held_by) != bool(p.left_out), p


@pytest.mark.parametrize("paragraph", PARAGRAPHS, ids=lambda p: f"{p.item} {p.paragraph}")
def test_each_quotation_is_in_its_paragraph(paragraph: object) -> None:
    assert paragraph.quote in paragraphs(paragraph.item)[paragraph.paragraph]  # type: ignore[attr-defined]


def test_each_item_that_holds_a_paragraph_cites_it() -> None:
    for p in PARAGRAPHS:
        for ident in p.held_by:
            assert (p.item, p.paragraph) in cited(RECORD[ident]), (ident, p)


def test_every_item_of_the_record_holds_a_paragraph_and_cites_only_real_ones() -> None:
    held = {ident for p in PARAGRAPHS for ident in p.held_by}
    assert held == set(RECORD)
    for decision in RECORD.values():
        for item, paragraph in cited(decision):
            assert paragraph in paragraphs(item), (decision.id, item, paragraph)


def test_every_note_quotes_its_numbers_and_dates_from_its_paragraphs() -> None:
    # A date or figure in a note's text must appear in the paragraphs it cites.
    for decision in RECORD.values():
        text = " ".join(paragraphs(item)[p] for item, p in cited(decision))
        for reason in decision.reasons[:1] if decision.kind == "note" else ():
            for day in re.findall(r"\b\d{1,2} [A-Z][a-z]+(?= \d{4}|\b)", reason):
                assert day in text, (decision.id, day)

"""The rule index (docs/rules.md) and the code cite each rule the same way: every row's citation
appears word for word in each file the row names, so a search for the citation finds the code that
applies it, and a rule is never cited by a source's long title, which a search would miss."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APPS = ("config", "records", "membership", "payments", "partners", "governance", "cms")
FILE = re.compile(r"`([\w/.-]+\.py)`")
# A long title followed by a rule's number: the short form (docs/rules.md, first paragraph) is the one to use.
LONG_TITLES = (
    "Companies Act 2006",
    "National Health Service Act 2006",
    "Model Election Rules 2014",
    "Elections Order 2007",
)
WORDS = r"[\s#]+"  # a title may break across lines of a comment
LONG_TITLE_CITATION = re.compile(
    "("
    + "|".join(WORDS.join(title.split()) for title in LONG_TITLES)
    + r")[\s#,(]*(s\.|ss\.|r\.|rules? \d|Part \d|Sch)"
)


def rows():
    for line in (ROOT / "docs" / "rules.md").read_text().splitlines():
        if line.startswith("| `"):
            cells = [cell.strip() for cell in line.strip("|").split("|")]
            yield cells[0].strip("`"), FILE.findall(cells[-1])


def test_the_index_has_a_row_for_each_rule_and_each_row_names_its_code():
    index = list(rows())
    assert len(index) >= 25
    assert [citation for citation, files in index if not files] == []


def test_each_citation_appears_word_for_word_in_the_files_its_row_names():
    drifts = []
    for citation, files in rows():
        for name in files:
            path = ROOT / name
            if not path.is_file():
                drifts.append(f"{citation}: {name} does not exist")
            elif citation not in path.read_text():
                drifts.append(f"{citation}: not in {name}")
    assert drifts == []


def test_code_cites_a_rule_by_its_short_form_not_the_long_title():
    long_forms = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                for match in LONG_TITLE_CITATION.finditer(path.read_text()):
                    long_forms.append(f"{path.relative_to(ROOT)}: {match.group(0)!r}")
    assert long_forms == []

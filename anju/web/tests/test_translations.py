"""The English catalogue is complete, and the public home page really is English in English.

Chinese (zh-hans) is the source language; English is the second. After adding strings run
`makemessages -l en` (see scripts/translate_check.py), translate, then `make messages`.
"""

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db

PO = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES" / "django.po"
CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]+")
PLACEHOLDER = re.compile(r"%\([^)]+\)[-#0 +]*\d*(?:\.\d+)?[sdif]")


def parse_po(path):
    """Entries of a .po file as dicts: flags, msgid, msgid_plural, msgstr ({index: text}).
    Enough of the format for makemessages' output; obsolete "#~" entries are skipped."""
    entries, entry, field, flags = [], None, None, set()
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#~"):
            continue
        if line.startswith("#,"):
            flags |= {flag.strip() for flag in line[2:].split(",") if flag.strip()}
            continue
        if line.startswith("#"):
            continue
        if line.startswith('"'):
            text = ast.literal_eval(line)
            if isinstance(field, int):
                entry["msgstr"][field] += text
            else:
                entry[field] += text
            continue
        keyword, _, rest = line.partition(" ")
        value = ast.literal_eval(rest.strip())
        if keyword == "msgctxt" or (keyword == "msgid" and field != "msgctxt"):
            entry = {"flags": flags, "msgctxt": "", "msgid": "", "msgid_plural": "", "msgstr": {}}
            entries.append(entry)
            flags = set()
        if keyword.startswith("msgstr"):
            field = int(keyword[7:-1]) if keyword.startswith("msgstr[") else 0
            entry["msgstr"][field] = value
        else:
            field = keyword
            entry[field] = value
    return entries


@pytest.fixture(scope="module")
def catalogue():
    assert PO.exists(), f"{PO} is missing: run makemessages -l en in anju/"
    return parse_po(PO)


def test_the_parser_reads_plurals_continuations_and_flags(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: en\\n"\n\n'
        '#, fuzzy, python-format\nmsgid "共 %(counter)s 个小区"\n'
        'msgid_plural "共 %(counter)s 个小区"\n'
        'msgstr[0] "%(counter)s compound"\nmsgstr[1] ""\n"%(counter)s compounds"\n\n'
        '#~ msgid "旧"\n#~ msgstr "old"\n',
        encoding="utf-8",
    )
    header, plural = parse_po(po)
    assert header["msgstr"] == {0: "Language: en\n"}
    assert plural["flags"] == {"fuzzy", "python-format"}
    assert plural["msgstr"] == {0: "%(counter)s compound", 1: "%(counter)s compounds"}


def test_every_entry_is_translated(catalogue):
    untranslated = [
        entry["msgid"]
        for entry in catalogue
        if entry["msgid"] and (not entry["msgstr"] or not all(entry["msgstr"].values()))
    ]
    assert len(catalogue) > 100
    assert untranslated == [], "translate these in anju/locale/en/LC_MESSAGES/django.po"


def test_no_entry_is_fuzzy(catalogue):
    fuzzy = [entry["msgid"] or "(header)" for entry in catalogue if "fuzzy" in entry["flags"]]
    assert fuzzy == [], "check these translations and remove their #, fuzzy flag"


def test_translations_keep_their_placeholders(catalogue):
    broken = []
    for entry in catalogue:
        if "python-format" not in entry["flags"]:
            continue
        wanted = set(PLACEHOLDER.findall(entry["msgid"] + entry["msgid_plural"]))
        for index, text in entry["msgstr"].items():
            found = set(PLACEHOLDER.findall(text))
            # a singular form may leave out the count ("One household"), never add a name
            if not found <= wanted or (index and found != wanted):
                broken.append((entry["msgid"], index))
    assert broken == []


def test_the_home_page_in_english_has_no_chinese_but_the_language_name(client):
    assert PO.with_suffix(".mo").exists(), "compile the catalogue first: make messages"
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Sign in with household code" in html
    leftovers = sorted(set(CJK.findall(html)) - {"简体中文"})
    assert leftovers == [], "mark these for translation (or compile messages: make messages)"


def test_the_home_page_is_chinese_by_default(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html
    assert "住户码登录" in html

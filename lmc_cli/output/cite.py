"""Citations ready to paste: a fact's quotes with each document's attribution as the document
states it, in plain text, Markdown, BibTeX or CSL-JSON (what Zotero and pandoc read).

No Rich, no Typer: strings from records. Nothing is added that the sources do not give:
the documents carry no publication date, so no citation has one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from lmc_cli.model import Citation, Document, Fact
from lmc_cli.output.sanitise import neutralise

STYLES = ("plain", "md", "bibtex", "csl-json")
# CSL item types for the document kinds the packs use; anything else is an article.
CSL_TYPES = {"report": "report", "news": "article-newspaper", "speech": "speech", "interview": "interview"}
DESCRIPTIVE = "descriptive title, not the document's own"


def attribution(doc: Document) -> str:
    """Who and what the document says it is: author (affiliation), translator, title, outlet, kind."""
    parts = []
    if doc.author:
        parts.append(doc.author + (f" ({doc.affiliation})" if doc.affiliation else ""))
    else:
        parts.append("no author named")
    if doc.translator:
        parts.append(f"translated by {doc.translator}")
    parts.append(f"[{doc.title}] ({DESCRIPTIVE})" if doc.title_is_descriptive else f"“{doc.title}”")
    if doc.outlet:
        parts.append(doc.outlet)
    parts.append(doc.kind)
    return ", ".join(parts)


def unknown_document(label: str) -> Document:
    return Document(id=label, title=f"document {label}", kind="document", title_is_descriptive=True)


def by_document(fact: Fact) -> list[tuple[str, list[Citation]]]:
    """The fact's citations grouped by document, documents in the order first cited."""
    groups: dict[str, list[Citation]] = {}
    for citation in fact.sources:
        groups.setdefault(citation.label, []).append(citation)
    return list(groups.items())


def notes(fact: Fact) -> list[str]:
    """What a reader of the citation must also know: a disagreement, a date from elsewhere."""
    lines = []
    if fact.disputed_by:
        lines.append("Disputed: the sources disagree on this; see lmc show " + " ".join(fact.disputed_by) + ".")
    if fact.editorial and fact.editorial.date:
        where = "not from the documents" if fact.date_is_editorial else f"the documents give {fact.date}"
        lines.append(f"Date: the public record gives {fact.editorial.date} ({fact.editorial.reference}); {where}.")
    return lines


def says(citation: Citation) -> str:
    return f" (this document says: {citation.says})" if citation.says else ""


def cite_plain(fact: Fact, documents: dict[str, Document], version: str) -> str:
    lines = [f"{fact.title} (lmc fact {fact.id}, lmc {version})"]
    for label, citations in by_document(fact):
        doc = documents.get(label) or unknown_document(label)
        for citation in citations:
            lines.append(f"“{citation.quote}”{says(citation)}")
        lines.append(f"— {attribution(doc)} [document {label}]")
    lines += notes(fact)
    return "\n".join(neutralise(line) for line in lines) + "\n"


MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def md_escape(text: str) -> str:
    """Backslash-escape what Markdown would read as markup or HTML (CommonMark escapes)."""
    return MD_SPECIAL.sub(r"\\\1", neutralise(text)).replace("\n", " ")


def md_attribution(doc: Document) -> str:
    parts = [md_escape(doc.author + (f" ({doc.affiliation})" if doc.affiliation else "")) if doc.author
             else "no author named"]
    if doc.translator:
        parts.append(f"translated by {md_escape(doc.translator)}")
    if doc.title_is_descriptive:
        parts.append(f"\\[{md_escape(doc.title)}\\] ({DESCRIPTIVE})")
    else:
        parts.append(f"*{md_escape(doc.title)}*")
    if doc.outlet:
        parts.append(md_escape(doc.outlet))
    parts.append(md_escape(doc.kind))
    return ", ".join(parts)


def cite_md(fact: Fact, documents: dict[str, Document], version: str) -> str:
    blocks = []
    for label, citations in by_document(fact):
        doc = documents.get(label) or unknown_document(label)
        quoted = "\n>\n".join(f"> {md_escape(c.quote)}{md_escape(says(c))}" for c in citations)
        blocks.append(f"{quoted}\n>\n> — {md_attribution(doc)} \\[document {md_escape(label)}\\]")
    tail = [f"**{md_escape(fact.title)}** (lmc fact `{md_escape(fact.id)}`, lmc {version})"]
    tail += [md_escape(line) for line in notes(fact)]
    return "\n\n".join(blocks) + "\n\n" + "  \n".join(tail) + "\n"


BIB_SPECIAL = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "%": r"\%", "&": r"\&", "#": r"\#",
               "$": r"\$", "_": r"\_", "^": r"\^{}", "~": r"\~{}"}
BIB_PATTERN = re.compile("|".join(re.escape(c) for c in BIB_SPECIAL))


def bib_escape(text: str) -> str:
    return BIB_PATTERN.sub(lambda found: BIB_SPECIAL[found.group()], neutralise(text).replace("\n", " "))


def bib_key(fact: Fact, label: str) -> str:
    return re.sub(r"[^A-Za-z0-9:.\-]", "-", f"{fact.id}:{label}")


def cite_bibtex(fact: Fact, documents: dict[str, Document], version: str) -> str:
    """One @misc entry per document the fact cites; names in double braces, kept whole."""
    entries = []
    for label, citations in by_document(fact):
        doc = documents.get(label) or unknown_document(label)
        quoted = " ".join(f"``{bib_escape(c.quote)}''{bib_escape(says(c))}" for c in citations)
        note = [f"Quoted for lmc fact {bib_escape(fact.id)} ({bib_escape(fact.title)}, lmc {version}): {quoted}."]
        if doc.title_is_descriptive:
            note.insert(0, "Descriptive title, not the document's own.")
        if doc.translator:
            note.insert(0, f"Translated by {bib_escape(doc.translator)}.")
        if doc.affiliation:
            note.insert(0, f"Author: {bib_escape(doc.affiliation)}.")
        note += [bib_escape(line) for line in notes(fact)]
        title = f"[{doc.title}]" if doc.title_is_descriptive else doc.title
        fields = [("title", "{" + bib_escape(title) + "}")]
        if doc.author:
            fields.append(("author", "{" + bib_escape(doc.author) + "}"))
        if doc.translator:
            fields.append(("translator", "{" + bib_escape(doc.translator) + "}"))
        if doc.outlet:
            fields.append(("howpublished", bib_escape(doc.outlet)))
        fields += [("type", bib_escape(doc.kind)), ("note", " ".join(note))]
        body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
        entries.append(f"@misc{{{bib_key(fact, label)},\n{body}\n}}\n")
    return "\n".join(entries)


def csl_items(fact: Fact, documents: dict[str, Document], version: str) -> list[dict[str, Any]]:
    """CSL-JSON items, one per document the fact cites; names as literals (never split)."""
    items = []
    for label, citations in by_document(fact):
        doc = documents.get(label) or unknown_document(label)
        quoted = " ".join(f"“{c.quote}”{says(c)}" for c in citations)
        note = [f"Quoted for lmc fact {fact.id} ({fact.title}, lmc {version}): {quoted}"]
        if doc.title_is_descriptive:
            note.insert(0, "Descriptive title, not the document's own.")
        if doc.affiliation:
            note.insert(0, f"Author: {doc.affiliation}.")
        note += notes(fact)
        item: dict[str, Any] = {
            "id": bib_key(fact, label),
            "type": CSL_TYPES.get(doc.kind, "article"),
            "title": f"[{doc.title}]" if doc.title_is_descriptive else doc.title,
            "genre": doc.kind,
            "note": " ".join(note),
        }
        if doc.author:
            item["author"] = [{"literal": doc.author}]
        if doc.translator:
            item["translator"] = [{"literal": doc.translator}]
        if doc.outlet:
            item["container-title"] = doc.outlet
        items.append(item)
    return items


def render_citations(facts: Sequence[Fact], documents: dict[str, Document], style: str, version: str) -> str:
    """The citations of `facts` in `style` (one of STYLES)."""
    if style == "csl-json":
        items = [item for fact in facts for item in csl_items(fact, documents, version)]
        from lmc_cli.output.formats import to_json

        return to_json(items)
    write = {"plain": cite_plain, "md": cite_md, "bibtex": cite_bibtex}[style]
    return "\n".join(write(fact, documents, version) for fact in facts)

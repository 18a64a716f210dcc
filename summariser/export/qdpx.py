"""The coding as a REFI-QDA project (`.qdpx`), the exchange format NVivo, ATLAS.ti, MAXQDA and
QualCoder read: a zip holding `project.qde` (XML, namespace urn:QDA-XML:project:1.0, the REFI-QDA
Project schema 1.0 of March 2019) and the sources as plain UTF-8 text in `Sources/`.

- Sources: one text document per respondent of a survey (each of their answers to the drafted
  sections' questions, under the question asked), and one per interview or other document (every
  turn in order, with its speaker, interviewer turns included). Every answer of a drafted section
  is there, coded or not, so that an analyst can code what the themes left out; a document per
  person rather than per answer is how QDA packages expect people and transcripts to come.
- Codes: one folder per drafted section (not codable), its themes inside, each with its
  description and count.
- Coded segments: a `PlainTextSelection` per coded segment, saying how it was coded (phrase,
  meaning or model, and the similarity) and whether it counts its respondent.

Positions count characters (Unicode code points) from 0, the end excluded, as Python counts a
string, in the text file as written. That text is the stored answer's own, but for the few
characters XML cannot hold, each written as its visible Unicode picture ("␋"), one character for
one, so no position moves (`summariser.text.controls`). NVivo is reported to count UTF-16 code
units instead, so there a character beyond U+FFFF (an emoji) shifts the rest of its document by one.

Every GUID is a UUID 5 of the project's title and the ids it stands for, and the zip's entries
carry a fixed date, so exporting the same coding again gives the same file, byte for byte.
"""

from __future__ import annotations

import io
import re
import uuid
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from summariser.export.coded import CodedData, CodedSegment
from summariser.project.manifest import Manifest
from summariser.records import Response
from summariser.text.controls import xml_safe

__all__ = ["NAMESPACE", "Document", "documents", "qdpx_bytes", "qdpx_name"]

NAMESPACE = "urn:QDA-XML:project:1.0"
_GUIDS = uuid.UUID("7d1e4b6a-52c3-4f0e-9b8d-2a6c0e5f4a91")  # this exporter's UUID 5 namespace
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
# Okabe-Ito (as the report's figures) but black, which would hide the text it highlights.
_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")
_UNSAFE_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')


@dataclass
class Document:
    """A source document: its text, and where each answer or turn in it starts."""

    key: str
    name: str
    parts: list[str] = field(default_factory=list)
    starts: dict[str, int] = field(default_factory=dict)  # response id -> position
    length: int = 0

    def add(self, text: str, response_id: str | None = None) -> None:
        if response_id is not None:
            self.starts[response_id] = self.length
        self.parts.append(text)
        self.length += len(text)

    @property
    def text(self) -> str:
        return "".join(self.parts)


def documents(manifest: Manifest, responses: Sequence[Response]) -> list[Document]:
    """The source documents of the drafted sections' answers (module docstring), in the order
    their people or sources first appear in the store."""
    tabular = {s.id for s in manifest.sources if s.is_tabular}
    order = {q.id: n for n, q in enumerate(manifest.questions)}

    def key(response: Response) -> str:
        by_person = response.source in tabular
        return f"{response.source}\x1f{response.respondent}" if by_person else response.source

    made = {k: Document(k, "") for k in dict.fromkeys(map(key, responses))}
    for response in sorted(responses, key=lambda r: order.get(r.question, len(order))):
        document = made[key(response)]
        if document.length:
            document.add("\n\n")
        if response.source in tabular:
            document.name = response.respondent if len(tabular) == 1 else \
                f"{response.source}: {response.respondent}"
            document.add(xml_safe(manifest.question(response.question).text) + "\n")
        else:
            document.name = response.source
            if response.speaker:
                document.add(xml_safe(response.speaker) + ": ")
        document.add(xml_safe(response.text), response.response_id)
    return list(made.values())


def qdpx_name(title: str) -> str:
    """A file name for the project: its title, without characters a file name cannot hold."""
    name = " ".join(_UNSAFE_NAME.sub("-", title).split()).strip(" .")[:100].strip(" .")
    return f"{name or 'project'}.qdpx"


def qdpx_bytes(manifest: Manifest, data: CodedData) -> bytes:
    """The .qdpx file: project.qde and the sources' text files, the same bytes every time."""
    from summariser import __version__

    def guid(*parts: str) -> str:
        return str(uuid.uuid5(_GUIDS, "\x1f".join((manifest.title, *parts))))

    user = guid("user")
    project = ET.Element("Project", {"xmlns": NAMESPACE, "name": xml_safe(manifest.title),
                                     "origin": f"summariser {__version__}",
                                     "creatingUserGUID": user})
    users = ET.SubElement(project, "Users")
    ET.SubElement(users, "User", {"guid": user, "name": "summariser"})
    code_of = _codebook(project, manifest, data, guid)
    docs = documents(manifest, data.responses)
    where = {rid: (doc, start) for doc in docs for rid, start in doc.starts.items()}
    selections: dict[str, list[CodedSegment]] = {}
    for segment in data.segments:
        selections.setdefault(where[segment.response_id][0].key, []).append(segment)
    files: list[tuple[str, bytes]] = []
    if docs:
        sources = ET.SubElement(project, "Sources")
        for doc in docs:
            source_guid = guid("source", doc.key)
            files.append((f"Sources/{source_guid}.txt", doc.text.encode("utf-8")))
            source = ET.SubElement(sources, "TextSource", {
                "guid": source_guid, "name": xml_safe(doc.name),
                "plainTextPath": f"internal://{source_guid}.txt"})
            coded = sorted(selections.get(doc.key, []),
                           key=lambda s: (doc.starts[s.response_id] + s.start, s.end,
                                          s.theme.section_id, s.theme.theme_id))
            for segment in coded:
                _selection(source, segment, doc.starts[segment.response_id], code_of, guid,
                           user)
    ET.SubElement(project, "Description").text = (
        f"Exported by summariser from {len(data.drafted)} drafted section(s): the themes are "
        "codes, grouped by section; each coded segment is a selection of a respondent's own "
        "words. A theme counts the survey respondents with a coded segment; interview and "
        "document segments are coded but not counted.")
    ET.indent(project)
    qde = ET.tostring(project, encoding="utf-8", xml_declaration=True)
    return _zip([("project.qde", qde), *sorted(files)])


def _codebook(project: ET.Element, manifest: Manifest, data: CodedData,
              guid: Callable[..., str]) -> dict[tuple[str, str], str]:
    """The codes (sections holding their themes); returns each theme's code GUID."""
    code_of: dict[tuple[str, str], str] = {}
    if not data.drafted:
        return code_of
    codes = ET.SubElement(ET.SubElement(project, "CodeBook"), "Codes")
    colour = 0
    for section in data.drafted:
        folder = ET.SubElement(codes, "Code", {"guid": guid("section", section.id),
                                               "name": xml_safe(section.heading),
                                               "isCodable": "false"})
        asked = " ".join(manifest.question(q).text for q in section.questions
                         if manifest.question(q).kind == "text")
        if asked:
            ET.SubElement(folder, "Description").text = xml_safe(f"The question asked: {asked}")
        for theme in (t for t in data.themes if t.section_id == section.id):
            code_of[theme.section_id, theme.theme_id] = guid("theme", section.id, theme.theme_id)
            code = ET.SubElement(folder, "Code", {
                "guid": code_of[theme.section_id, theme.theme_id], "name": xml_safe(theme.title),
                "isCodable": "true", "color": _COLOURS[colour % len(_COLOURS)]})
            colour += 1
            ET.SubElement(code, "Description").text = xml_safe(
                f"{theme.summary} Raised by {theme.count_text}.".strip())
    return code_of


def _selection(source: ET.Element, segment: CodedSegment, base: int,
               code_of: dict[tuple[str, str], str], guid: Callable[..., str], user: str
               ) -> None:
    ids = (segment.theme.section_id, segment.theme.theme_id, segment.response_id,
           str(segment.start), str(segment.end))
    selection = ET.SubElement(source, "PlainTextSelection", {
        "guid": guid("selection", *ids), "name": xml_safe(segment.text),
        "startPosition": str(base + segment.start), "endPosition": str(base + segment.end),
        "creatingUser": user})
    how = {"phrase": f"by the phrase “{segment.phrase}”", "meaning": "by meaning",
           "stated": "by the side its answer opens by taking",
           "model": "by the model"}.get(segment.via, f"by {segment.via}")
    counted = "counts its respondent" if segment.counted else \
        "not counted (an interview or document)"
    ET.SubElement(selection, "Description").text = xml_safe(
        f"{segment.theme.title}: coded {how}, similarity {segment.similarity:.2f}; {counted}.")
    coding = ET.SubElement(selection, "Coding", {"guid": guid("coding", *ids),
                                                 "creatingUser": user})
    ET.SubElement(coding, "CodeRef",
                  {"targetGUID": code_of[segment.theme.section_id, segment.theme.theme_id]})


def _zip(entries: Sequence[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, payload in entries:
            info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, payload)
    return buffer.getvalue()

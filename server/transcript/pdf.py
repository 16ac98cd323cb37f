"""The transcript as a PDF, drawn with fpdf2 (pure Python: `make install` brings it, no
system library). It carries the teacher, the district, each counted credential with
its date, issuer, hours and verification link (also as a QR code a licensure office can
scan), the totals per school year and overall. Revoked awards are left out: this is the
document a teacher hands in for the credits they hold.

The PDF's built-in Helvetica covers Latin-1 only; other characters are written in their
nearest Latin form (é stays é, a dash becomes "-"), or "?" when there is none.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

import qrcode
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from server.transcript.service import Transcript, TranscriptRow, hours_text, long_date

QR_SIZE = 20  # mm: scannable from paper
PUNCTUATION = str.maketrans(
    {
        "–": "-",
        "—": "-",
        "‘": "'",
        "’": "'",
        "“": '"',
        "”": '"',
        "…": "...",
        "·": "-",
        "Ł": "L",
        "ł": "l",
        "Œ": "OE",
        "œ": "oe",
    }
)


def latin(text: str) -> str:
    return "".join(_latin_char(char) for char in text.translate(PUNCTUATION))


def _latin_char(char: str) -> str:
    if ord(char) < 256:
        return char
    base = "".join(
        part for part in unicodedata.normalize("NFKD", char) if not unicodedata.combining(part)
    )
    return base if base and all(ord(part) < 256 for part in base) else "?"


def hours_phrase(hours) -> str:
    text = hours_text(hours)
    return f"{text} credit hour{'' if text == '1' else 's'}"


def _new_document(transcript: Transcript, language: str) -> FPDF:
    pdf = FPDF(format="A4", unit="mm")
    pdf.set_title(f"Credit-hour transcript of {transcript.teacher_name}")
    pdf.set_author(transcript.district)
    pdf.set_subject("Micro-credentials and continuing-education credit hours")
    pdf.set_creator("Chalkmark")
    pdf.set_lang(language)
    pdf.set_display_mode("fullwidth")
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.add_page()
    return pdf


def _line(
    pdf: FPDF,
    text: str,
    *,
    size: float = 10,
    style: str = "",
    height: float = 5.5,
    link: str = "",
    width: float = 0,
) -> None:
    pdf.set_font("Helvetica", style, size)
    pdf.multi_cell(width, height, latin(text), link=link, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _qr(pdf: FPDF, url: str, x: float, y: float) -> None:
    """The QR code as vector squares: sharp at any zoom, no image to embed."""
    code = qrcode.QRCode(border=0, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(url)
    code.make(fit=True)
    matrix = code.get_matrix()
    module = QR_SIZE / len(matrix)
    pdf.set_fill_color(0, 0, 0)
    for row_index, row in enumerate(matrix):
        column = 0
        while column < len(row):
            if not row[column]:
                column += 1
                continue
            run = column
            while run < len(row) and row[run]:
                run += 1
            pdf.rect(
                x + column * module,
                y + row_index * module,
                (run - column) * module,
                module,
                style="F",
            )
            column = run


def _credential(pdf: FPDF, row: TranscriptRow, verify_url: str) -> None:
    _entry(
        pdf,
        row.title,
        f"Earned {long_date(row.issued_on)} - issued by {row.issuer} - {hours_phrase(row.hours)}",
        verify_url if row.verifiable else "",
    )


def _entry(pdf: FPDF, title: str, detail: str, verify_url: str) -> None:
    if pdf.will_page_break(QR_SIZE + 4):
        pdf.add_page()
    top, text_width = pdf.get_y(), pdf.epw - QR_SIZE - 6
    _line(pdf, title, style="B", size=11, width=text_width)
    _line(pdf, detail, width=text_width)
    if verify_url:
        _line(pdf, f"Verify: {verify_url}", size=9, link=verify_url, width=text_width)
        _qr(pdf, verify_url, pdf.l_margin + pdf.epw - QR_SIZE, top)
    pdf.set_y(max(pdf.get_y(), top + (QR_SIZE if verify_url else 0)) + 4)


def _stacks(pdf: FPDF, transcript: Transcript, stack_url: Callable[[str], str]) -> None:
    standing = [row for row in transcript.stacks if row.revoked_on is None]
    if not standing:
        return
    pdf.ln(2)
    _line(pdf, "Stack credentials", style="B", size=12, height=8)
    for row in standing:
        _entry(
            pdf,
            row.title,
            f"Earned {long_date(row.issued_on)} - issued by {row.issuer} - every "
            "micro-credential of the stack (their hours are counted above)",
            stack_url(row.uuid),
        )


def transcript_pdf(
    transcript: Transcript,
    *,
    verify_url: Callable[[str], str],
    issued_today: str,
    language: str = "en",
    stack_url: Callable[[str], str] | None = None,
) -> bytes:
    """`verify_url(award_uuid)` gives a row's public verification page, `stack_url(uuid)`
    a stack credential's."""
    pdf = _new_document(transcript, language)
    _line(pdf, "Credit-hour transcript", style="B", size=18, height=9)
    _line(pdf, transcript.teacher_name, style="B", size=13, height=7)
    _line(pdf, f"District: {transcript.district}")
    _line(
        pdf,
        f"Made {issued_today}. Dates are in {transcript.timezone}; a school year "
        "runs 1 July - 30 June. Revoked credentials are not listed.",
        size=9,
    )
    pdf.ln(4)
    earned = transcript.earned
    for year in transcript.years:
        _line(
            pdf,
            f"School year {year.label}: {hours_phrase(year.hours)} "
            f"({year.credentials} credential{'' if year.credentials == 1 else 's'})",
            style="B",
            size=12,
            height=8,
        )
        for row in earned:
            if row.school_year == year.start_year:
                _credential(pdf, row, verify_url(row.award_uuid))
    if not earned:
        _line(pdf, "No credentials earned yet.")
    pdf.ln(2)
    _line(
        pdf,
        f"Total: {hours_phrase(transcript.total_hours)} from {len(earned)} "
        f"credential{'' if len(earned) == 1 else 's'}",
        style="B",
        size=13,
        height=8,
    )
    if stack_url is not None:
        _stacks(pdf, transcript, stack_url)
    _line(
        pdf,
        "Each credential is a signed Open Badge: its link or QR code opens a page "
        "that checks the signature and whether it was revoked.",
        size=9,
    )
    return bytes(pdf.output())

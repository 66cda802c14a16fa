"""CSV and TSV files with a header line: columns are channels, every other byte comes back as it was.

The delimiter is found from the header (comma, semicolon, tab or bar; ``.tsv`` is tab) and quoted fields
are understood. Rows are split keeping each field's text and each line's ending, so that a row rebuilt from
them is the row as it was: only the cells of denoised columns that held a number are rewritten (with the
shortest text that reads back the same float32); empty cells and ``nan``/``NA``/``null`` are gaps, kept, and
so is the text of every value that comes back unchanged.
"""

import dataclasses
import functools
import re

import numpy as np

from .recording import Recording, RecordingError, choose_channels

__all__ = ["read_delimited"]

#: Delimiters a header line is searched for, in order of preference.
DELIMITERS = (",", ";", "\t", "|")
#: Cells that are gaps in a column of numbers (compared in lower case, spaces stripped).
GAPS = frozenset({"", "nan", "na", "n/a", "null", "none"})


def read_delimited(path, columns=None):
    """A :class:`~skdenoise.io.recording.Recording` of a CSV/TSV file's columns (see the module)."""
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as error:
        raise RecordingError(f"{path}: not UTF-8 text (byte {error.start} is {error.object[error.start]:#04x}); "
                             f"save it as UTF-8.") from None
    lines = text.split("\n")
    preamble = next((i for i, line in enumerate(lines) if not line.lstrip("\ufeff").startswith("#")), len(lines))
    delimiter = "\t" if path.suffix.lower() == ".tsv" else _sniff_delimiter(lines[preamble] if preamble < len(lines)
                                                                            else "")
    rows = _split_rows(text, delimiter)
    first = _first_data_row(rows, preamble)
    if first is None:
        raise RecordingError(f"{path}: the file holds no header line.")
    header = [_unquote(field).lstrip("\ufeff") for field in rows[preamble].fields]
    body = rows[first:]
    while body and body[-1].fields == [""]:  # blank last lines
        body.pop()
    for number, row in enumerate(body, start=first + 1):
        if len(row.fields) != len(header):
            raise RecordingError(f"{path}: row {number} has {len(row.fields)} fields, the header {len(header)}.")
    numbers = functools.cache(lambda column: _numbers(body, column, first + 1, delimiter=delimiter))
    chosen, left = choose_channels(path, header, lambda column: numbers(column)[0], columns=columns)
    signals = np.stack([numbers(column)[0] for column in chosen])
    commas = [numbers(column)[1] for column in chosen]

    def write(denoised, target):
        out = [row.text(delimiter) for row in rows[:first]]
        for index, row in enumerate(body):
            fields = list(row.fields)
            for channel, column in enumerate(chosen):
                original = signals[channel, index]
                if not np.isnan(original) and denoised[channel, index] != original:  # gaps, values left: as written
                    value = str(np.float32(denoised[channel, index]))
                    fields[column] = value.replace(".", ",") if commas[channel] else value
            out.append(delimiter.join(fields) + row.end)
        out += [row.text(delimiter) for row in rows[first + len(body):]]
        target.write_bytes("".join(out).encode("utf-8"))

    return Recording(path, signals, [header[column] for column in chosen], left=left, _write=write)


def _first_data_row(rows, header):
    """The index of the first row of data: after the `header` row and the rows of text under it (units, a
    description), which come back as they are. None without a header."""
    if header >= len(rows):
        return None
    first = header + 1
    while first < len(rows) and rows[first].fields != [""] and not any(_number(field) is not None
                                                                          for field in rows[first].fields):
        first += 1
    return first if first < len(rows) else header + 1


def _numbers(body, column, first_row, *, delimiter):
    """The numbers of a column (NaN at gaps) and whether they are written with a decimal comma (``1,5`` where
    the delimiter is not a comma); or why it holds none (its first cell that is not a number) and None."""
    values, comma = np.empty(len(body)), False
    for index, row in enumerate(body):
        text = _unquote(row.fields[column])
        if text.lower() in GAPS:
            values[index] = np.nan
            continue
        value = _number(text)
        if value is None and delimiter != ",":
            value = _number(text.replace(",", ".", 1))
            comma = comma or value is not None
        if value is None:
            return f"is not numbers: row {first_row + index} holds {text!r}", None
        values[index] = value
    return values, comma


def _number(text):
    """The finite number `text` holds, or None."""
    try:
        value = float(_unquote(text))
    except ValueError:
        return None
    return value if np.isfinite(value) else None


@dataclasses.dataclass
class _Row:
    fields: list
    end: str

    def text(self, delimiter):
        return delimiter.join(self.fields) + self.end


def _split_rows(text, delimiter):
    """The rows of CSV `text`, each field as written (quotes included) and each row's line ending."""
    if '"' not in text:  # no quoting: lines and fields split as they are
        lines = re.findall(r"([^\r\n]*)(\r\n|\r|\n|$)", text)
        return [_Row(line.split(delimiter), end) for line, end in lines if line or end]
    rows, fields, field, quoted, index = [], [], [], False, 0
    while index < len(text):
        char = text[index]
        if quoted:
            field.append(char)
            if char == '"' and text[index + 1:index + 2] == '"':  # an escaped quote
                field.append('"')
                index += 1
            elif char == '"':
                quoted = False
        elif char == '"':
            quoted = True
            field.append(char)
        elif char == delimiter:
            fields.append("".join(field))
            field = []
        elif char in "\r\n":
            end = "\r\n" if text[index:index + 2] == "\r\n" else char
            fields.append("".join(field))
            rows.append(_Row(fields, end))
            fields, field = [], []
            index += len(end)
            continue
        else:
            field.append(char)
        index += 1
    if field or fields:
        fields.append("".join(field))
        rows.append(_Row(fields, ""))
    return rows


def _sniff_delimiter(header):
    """Of :data:`DELIMITERS`, the most frequent one outside quotes in the header line (the first listed on a
    tie; a comma when there is none)."""
    header = re.sub(r'"(?:[^"]|"")*"', "", header)
    counts = [header.count(delimiter) for delimiter in DELIMITERS]
    return DELIMITERS[counts.index(max(counts))] if max(counts) else ","


def _unquote(field):
    field = field.strip()
    if len(field) >= 2 and field[0] == field[-1] == '"':
        return field[1:-1].replace('""', '"')
    return field

""".wav files: PCM of 8, 16, 24 or 32 bits and IEEE floats of 32 or 64 bits, mono or multichannel.

Read and written here, not by a library that converts: a 24-bit file is read in its own units and written
back in 24 bits, floats keep values beyond +/-1 (nothing is clipped but integers, to their width). Only the
samples of the data chunk change: every other byte of the file (the format, metadata chunks such as LIST,
padding) comes back as it was.
"""

import struct

import numpy as np

from .arrays import as_dtype
from .recording import Recording, RecordingError, choose_channels

__all__ = ["read_wav"]

PCM, IEEE_FLOAT, EXTENSIBLE = 1, 3, 0xFFFE


def read_wav(path, columns=None):
    """A :class:`~skdenoise.io.recording.Recording` of a .wav file's channels (``columns``: their indices)."""
    data = path.read_bytes()
    chunks = _chunks(path, data)
    if "fmt " not in chunks or "data" not in chunks:
        raise RecordingError(f"{path}: a WAV file needs a 'fmt ' and a 'data' chunk; it has "
                             f"{', '.join(repr(name) for name in chunks) or 'none'}.")
    n_channels, sample = _format(path, data, *chunks["fmt "])
    start, size = chunks["data"]
    width = sample.itemsize if sample != "int24" else 3
    frames = size // (width * n_channels)
    samples = _decode(data[start:start + frames * width * n_channels], sample).reshape(frames, n_channels)
    names = [f"channel {channel}" for channel in range(n_channels)]
    columns = None if columns is None else [str(column) for column in columns]
    chosen, left = choose_channels(path, names, lambda channel: samples[:, channel].astype(np.float64),
                                   columns=columns, what="channel")

    def write(denoised, target):
        out = samples.copy()
        out[:, chosen] = _in_range(denoised.T, sample)
        encoded = _encode(out, sample)
        target.write_bytes(data[:start] + encoded + data[start + len(encoded):])

    signals = samples[:, chosen].T.astype(np.float64)
    return Recording(path, signals, [names[channel] for channel in chosen], left=left, _write=write)


def _chunks(path, data):
    """``{id: (start, size)}`` of the chunks of a RIFF WAVE file's bytes."""
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise RecordingError(f"{path}: not a WAV file (it does not start with RIFF....WAVE).")
    chunks, position = {}, 12
    while position + 8 <= len(data):
        name = data[position:position + 4].decode("latin-1")
        size = struct.unpack("<I", data[position + 4:position + 8])[0]
        start = position + 8
        if start + size > len(data):
            raise RecordingError(f"{path}: the file is truncated: its {name!r} chunk says {size} bytes, "
                                 f"{len(data) - start} are there.")
        chunks.setdefault(name, (start, size))
        position = start + size + size % 2
    return chunks


def _format(path, data, start, size):
    """The number of channels and the sample type (a numpy dtype, or ``"int24"``) of a 'fmt ' chunk."""
    if size < 16:
        raise RecordingError(f"{path}: its 'fmt ' chunk is {size} bytes, fewer than the 16 of a WAV format.")
    code, n_channels, _, _, _, bits = struct.unpack("<HHIIHH", data[start:start + 16])
    if code == EXTENSIBLE and size >= 26:
        code = struct.unpack("<H", data[start + 24:start + 26])[0]
    types = {(PCM, 8): np.dtype("u1"), (PCM, 16): np.dtype("<i2"), (PCM, 24): "int24", (PCM, 32): np.dtype("<i4"),
             (IEEE_FLOAT, 32): np.dtype("<f4"), (IEEE_FLOAT, 64): np.dtype("<f8")}
    if (code, bits) not in types or n_channels < 1:
        raise RecordingError(f"{path}: a WAV of format {code} with {bits}-bit samples and {n_channels} channel(s) "
                             f"is not supported (PCM of 8, 16, 24 or 32 bits, or floats of 32 or 64 bits are).")
    return n_channels, types[(code, bits)]


def _decode(payload, sample):
    if sample == "int24":
        raw = np.frombuffer(payload, dtype=np.uint8).reshape(-1, 3).astype(np.int32)
        values = raw[:, 0] | (raw[:, 1] << 8) | (raw[:, 2] << 16)
        return np.where(values >= 1 << 23, values - (1 << 24), values).astype(np.int32)
    return np.frombuffer(payload, dtype=sample)


def _in_range(values, sample):
    """Values for samples of `sample`: floats as they are, integers rounded and clipped to the width."""
    if sample == "int24":
        return np.clip(np.rint(values), -(1 << 23), (1 << 23) - 1).astype(np.int32)
    return as_dtype(values, sample)


def _encode(samples, sample):
    if sample == "int24":
        values = samples.astype(np.int32).ravel() & 0xFFFFFF
        return np.stack([values & 0xFF, (values >> 8) & 0xFF, values >> 16], axis=1).astype(np.uint8).tobytes()
    return np.ascontiguousarray(samples, dtype=sample).tobytes()

"""Recordings in files: every format read into (channels, time), only measurements taken as channels, and every
file written back with all else kept."""

import struct
import zipfile

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.io import wavfile

from exports import ecg_csv, european_csv, gapped_csv, logger_csv
from skdenoise.io import RecordingError, read_recording
from skdenoise.io.columns import MAX_LABEL_VALUES, not_a_measurement

CSV = ('\ufefftime;"level, raw";note;count\r\n'
       '2026-01-01 00:00;1.5;"said ""hi""";3\r\n'
       '2026-01-01 00:01;2.25;;40\r\n'
       '2026-01-01 00:02;-0.125;x;5\r\n'
       '2026-01-01 00:03;0.5;y;7,5\r\n')


def kept_fields(text, delimiter, columns):
    return [[line.split(delimiter)[i] for i in columns] for line in text.splitlines()]


def test_csv_keeps_every_other_column_the_header_and_the_rows_byte_for_byte(tmp_path):
    path = tmp_path / "trace.csv"
    path.write_bytes(CSV.encode("utf-8"))
    recording = read_recording(path)
    assert recording.channels == ["level, raw", "count"]  # the measurements; text is left
    assert set(recording.left) == {"time", "note"}
    np.testing.assert_array_equal(recording.signals, [[1.5, 2.25, -0.125, 0.5], [3, 40, 5, 7.5]])
    values = np.array([[0.1, 1 / 3, 1e-8, 2.0], [7, 8, 9, 10.25]])
    recording.write(values, tmp_path / "out.csv")
    written = (tmp_path / "out.csv").read_bytes().decode("utf-8")
    assert written.startswith("\ufefftime;") and written.count("\r\n") == CSV.count("\r\n")
    assert kept_fields(written, ";", [0, 2]) == kept_fields(CSV, ";", [0, 2])
    assert written.splitlines()[-1].endswith(";10,25")  # a decimal comma stays a decimal comma
    back = read_recording(tmp_path / "out.csv", columns=recording.channels).signals
    np.testing.assert_array_equal(back.astype(np.float32), values.astype(np.float32))  # float32 round trip


def test_a_loggers_time_stamps_and_flags_are_left_and_come_back_byte_for_byte(tmp_path):
    logger_csv(tmp_path / "logger.csv", length=600)
    recording = read_recording(tmp_path / "logger.csv")
    assert recording.channels == ["value"]
    assert recording.left == {"timestamp": "monotonic: a time axis, an index or a counter",
                              "is_anomaly": "a label or flag: 2 distinct integer values"}
    recording.write(recording.signals + 1, tmp_path / "out.csv")
    before = (tmp_path / "logger.csv").read_text()
    after = (tmp_path / "out.csv").read_text()
    assert kept_fields(after, ",", [0, 2]) == kept_fields(before, ",", [0, 2])


def test_labels_units_date_times_decimal_commas_and_gaps(tmp_path):
    _, noisy = european_csv(tmp_path / "eu.csv")
    _, ecg = ecg_csv(tmp_path / "ecg.csv", length=400)
    recording = read_recording(tmp_path / "eu.csv")
    assert recording.channels == ["pressure", "level"]
    assert set(recording.left) == {"time", "status", "gain"} and recording.left["gain"] == "constant"
    np.testing.assert_allclose(recording.signals[0], noisy, atol=1e-4)  # NaN at the gap, in place
    recording.write(recording.signals, tmp_path / "out.csv")
    before, after = (tmp_path / "eu.csv").read_text(), (tmp_path / "out.csv").read_text()
    assert before.splitlines()[:3] == after.splitlines()[:3]  # the preamble, the header, the units
    assert kept_fields(after[after.index("ISO"):], ";", [0, 1, 2]) == kept_fields(before[before.index("ISO"):], ";",
                                                                                  [0, 1, 2])
    assert after.splitlines()[3 + 700].split(";")[3] == "NaN"  # the gap, as it was written
    ecg_recording = read_recording(tmp_path / "ecg.csv")
    assert ecg_recording.channels == ["data"] and "label" in ecg_recording.left
    np.testing.assert_allclose(ecg_recording.signals[0], ecg, atol=1e-5)


def test_gaps_are_nan_and_stay_gaps(tmp_path):
    _, noisy = gapped_csv(tmp_path / "gaps.csv", length=600)
    recording = read_recording(tmp_path / "gaps.csv")
    assert recording.channels == ["v"] and "t" in recording.left
    np.testing.assert_allclose(recording.signals[0], noisy, atol=1e-5)
    recording.write(np.nan_to_num(recording.signals) * 2, tmp_path / "out.csv")
    lines = (tmp_path / "out.csv").read_text().splitlines()
    assert lines[1 + 17] == "17," and lines[1 + 267] == "267,"


@pytest.mark.parametrize("values, reason", [
    (np.arange(50.0), "monotonic"),
    (1.7e9 + np.arange(50.0) * 0.5, "monotonic"),
    (np.r_[np.arange(20.0), np.nan, np.arange(21.0, 50.0)], "monotonic"),
    (np.full(50, 3.0), "constant"),
    (np.full(50, np.nan), "empty"),
    (np.tile(np.arange(MAX_LABEL_VALUES, dtype=float), 3), "label"),
])
def test_what_is_not_a_measurement(values, reason):
    assert reason in not_a_measurement(values)


@given(st.integers(0, 2**31 - 1), st.integers(MAX_LABEL_VALUES + 1, 400), st.booleans())
def test_noisy_measurements_are_measurements_and_monotonic_columns_never(seed, length, integers):
    rng = np.random.default_rng(seed)
    noisy = 100 * np.sin(np.arange(length) / 7.0) + 30 * rng.standard_normal(length)
    noisy = np.round(noisy) if integers else noisy
    assume_distinct = len(np.unique(noisy)) > MAX_LABEL_VALUES
    assert not assume_distinct or not_a_measurement(noisy) is None
    assert not_a_measurement(np.cumsum(np.abs(noisy))) is not None  # a counter
    assert not_a_measurement(np.sort(noisy)) is not None  # a time axis


def test_csv_columns_by_name_or_index_override_the_guess(tmp_path):
    path = tmp_path / "trace.csv"
    path.write_bytes(CSV.encode("utf-8"))
    assert read_recording(path, columns=["count"]).channels == ["count"]
    assert read_recording(path, columns=["1"]).channels == ["level, raw"]
    logger_csv(tmp_path / "logger.csv", length=100)
    forced = read_recording(tmp_path / "logger.csv", columns=["is_anomaly", "value"])
    assert forced.channels == ["is_anomaly", "value"] and forced.left == {}
    tsv = tmp_path / "trace.tsv"
    tsv.write_text("a\tb\n1\t2\n3\t4\n0\t3\n")
    np.testing.assert_array_equal(read_recording(tsv, columns=[1]).signals, [[2, 4, 3]])


@pytest.mark.parametrize("text, columns, fragment", [
    ("a,b\n1,x\n2,3\n", ["b"], "column 'b' is not numbers: row 2 holds 'x'"),
    ("a,b\n1,2\n3\n", None, "row 3 has 1 fields, the header 2"),
    ("a,b\n1,2\n", ["c"], "there is no column 'c'; the columns are a, b"),
    ("a,b\n1,2\n", ["5"], "there is no column 5 (columns 0 to 1)"),
    ("a,b\nx,y\n", None, "no column looks like a measurement to denoise (a: is not numbers: row 2 holds 'x'"),
    ("t,flag\n" + "".join(f"{t},{t % 3 == 0:d}\n" for t in range(30)), None,
     "t: monotonic: a time axis, an index or a counter; flag: a label or flag: 2 distinct integer values"),
    ("", None, "the file holds no header line"),
    ("a,b\n", ["a"], "the recording is empty"),
])
def test_bad_csv_files_name_the_file_row_or_column(tmp_path, text, columns, fragment):
    path = tmp_path / "bad.csv"
    path.write_text(text)
    with pytest.raises(RecordingError) as info:
        read_recording(path, columns=columns)
    assert str(path) in str(info.value) and fragment in str(info.value)


def test_a_file_that_is_not_utf8_is_named(tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes("temp,lieu\n1.5,Zürich\n2.5,Genève\n".encode("latin-1"))
    with pytest.raises(RecordingError, match=r"latin\.csv: not UTF-8 text \(byte 15 is 0xfc\)"):
        read_recording(path)


def test_unknown_and_missing_files_and_options_that_do_not_apply_are_refused(tmp_path):
    (tmp_path / "a.xlsx").write_text("x")
    with pytest.raises(RecordingError, match="unknown kind of file '.xlsx'"):
        read_recording(tmp_path / "a.xlsx")
    with pytest.raises(RecordingError, match="no such file"):
        read_recording(tmp_path / "missing.csv")
    (tmp_path / "a.csv").write_text("a\n1\n2\n")
    with pytest.raises(RecordingError, match="a time axis is chosen for the 2-D arrays of .npy and .npz files"):
        read_recording(tmp_path / "a.csv", time_axis=0)


@pytest.mark.parametrize("shape, time_axis, channels", [((500,), None, 1), ((3, 500), None, 3), ((500, 3), None, 3),
                                                        ((40, 60), 0, 60)])
def test_npy_keeps_shape_and_dtype_and_reads_through_a_memmap(tmp_path, shape, time_axis, channels):
    path = tmp_path / "x.npy"
    values = np.random.default_rng(0).standard_normal(shape).astype(np.float32)
    np.save(path, values)
    recording = read_recording(path, time_axis=time_axis)
    assert recording.signals.shape[0] == channels
    assert isinstance(recording.signals.base, np.memmap) or isinstance(recording.signals, np.memmap)
    recording.write(recording.signals * 2, tmp_path / "y.npy")
    out = np.load(tmp_path / "y.npy")
    assert out.shape == shape and out.dtype == np.float32
    np.testing.assert_array_equal(out, 2 * values)


def test_npy_channels_that_are_not_measurements_come_back_value_for_value(tmp_path):
    path = tmp_path / "x.npy"
    table = np.stack([np.arange(300.0), np.sin(np.arange(300) / 9.0), np.tile([0.0, 1.0, 1.0], 100)], axis=1)
    np.save(path, table)
    recording = read_recording(path)
    assert recording.channels == ["channel 1"] and set(recording.left) == {"channel 0", "channel 2"}
    recording.write(recording.signals * 3, tmp_path / "y.npy")
    out = np.load(tmp_path / "y.npy")
    np.testing.assert_array_equal(out[:, [0, 2]], table[:, [0, 2]])
    np.testing.assert_allclose(out[:, 1], 3 * table[:, 1])
    assert read_recording(path, columns=["0", "1"]).channels == ["channel 0", "channel 1"]
    with pytest.raises(RecordingError, match="there is no channel 'a'"):
        read_recording(path, columns=["a"])


def test_integer_arrays_are_rounded_and_clipped_to_their_dtype(tmp_path):
    path = tmp_path / "x.npy"
    np.save(path, np.array([0, 100, -100, 30000, 5, -7, 12, 99, -3000, 18, 2, 44, 9, 1000, -4, 3, 70], dtype=np.int16))
    recording = read_recording(path)
    denoised = recording.signals.astype(float)
    denoised[0, :4] = [0.4, 100.6, -40000.0, 40000.0]
    recording.write(denoised, tmp_path / "y.npy")
    np.testing.assert_array_equal(np.load(tmp_path / "y.npy")[:4], np.array([0, 101, -32768, 32767], dtype=np.int16))


def test_npz_denoises_its_arrays_and_keeps_the_others_and_the_compression(tmp_path):
    path = tmp_path / "x.npz"
    rng = np.random.default_rng(0)
    np.savez_compressed(path, a=rng.standard_normal(100), b=rng.standard_normal((2, 100)).astype(np.float32),
                        time=np.arange(100.0), names=np.array(["p", "q"]))
    recording = read_recording(path)
    assert recording.channels == ["a", "b[0]", "b[1]"] and "time" in recording.left
    recording.write(recording.signals + 1, tmp_path / "y.npz")
    out, source = np.load(tmp_path / "y.npz"), np.load(path)
    np.testing.assert_allclose(out["a"], source["a"] + 1)
    assert out["b"].dtype == np.float32 and out["b"].shape == (2, 100)
    np.testing.assert_array_equal(out["names"], ["p", "q"])
    np.testing.assert_array_equal(out["time"], source["time"])
    assert all(info.compress_type == zipfile.ZIP_DEFLATED for info in zipfile.ZipFile(tmp_path / "y.npz").infolist())
    assert read_recording(path, columns=["a"]).channels == ["a"]
    assert read_recording(path, columns=["b"]).channels == ["b[0]", "b[1]"]
    with pytest.raises(RecordingError, match="there is no array 'c'"):
        read_recording(path, columns=["c"])


def wav_bytes(samples, bits, code=1, extra=b""):
    """A WAV file's bytes: a 'fmt ' chunk, `extra` chunks, and the samples' data chunk."""
    channels = samples.shape[1]
    block = channels * bits // 8
    fmt = struct.pack("<HHIIHH", code, channels, 8000, 8000 * block, block, bits)
    if bits == 24:
        values = samples.astype(np.int64).ravel() & 0xFFFFFF
        data = np.stack([values & 0xFF, (values >> 8) & 0xFF, values >> 16], axis=1).astype(np.uint8).tobytes()
    else:
        data = samples.tobytes()
    body = b"WAVE" + b"fmt " + struct.pack("<I", 16) + fmt + extra + b"data" + struct.pack("<I", len(data)) + data
    return b"RIFF" + struct.pack("<I", len(body)) + body


@pytest.mark.parametrize("dtype, channels", [(np.int16, 1), (np.int16, 2), (np.float32, 2), (np.uint8, 1)])
def test_wav_keeps_rate_channels_and_dtype(tmp_path, dtype, channels):
    rate = 8000
    t = np.arange(800) / rate
    data = np.stack([np.sin(2 * np.pi * (440 + 30 * c) * t) for c in range(channels)], axis=-1).squeeze()
    data = {np.int16: lambda d: (d * 10000).astype(np.int16), np.float32: lambda d: (0.5 * d).astype(np.float32),
            np.uint8: lambda d: (128 + 60 * d).astype(np.uint8)}[dtype](data)
    wavfile.write(tmp_path / "x.wav", rate, data)
    recording = read_recording(tmp_path / "x.wav")
    assert recording.signals.shape == (channels, 800)
    recording.write(recording.signals * 4, tmp_path / "y.wav")
    out_rate, out = wavfile.read(tmp_path / "y.wav")
    assert out_rate == rate and out.dtype == dtype and out.shape == data.shape
    if dtype == np.float32:  # floats are not clipped: 4 x 0.5 comes back as 2
        np.testing.assert_allclose(out, 4 * data.astype(float), rtol=1e-6)
    else:
        limit = np.iinfo(dtype)
        assert out.min() >= limit.min and out.max() <= limit.max and out.max() == limit.max


def test_a_24_bit_wav_is_read_in_its_units_and_written_in_24_bits_with_its_other_chunks(tmp_path):
    samples = (np.sin(np.arange(400)[:, None] / 9.0 + np.arange(2)) * 3_000_000).astype(np.int32)
    listing = b"LIST" + struct.pack("<I", 10) + b"INFOISFT\x00\x00"
    source = tmp_path / "x.wav"
    source.write_bytes(wav_bytes(samples, 24, extra=listing))
    recording = read_recording(source)
    np.testing.assert_array_equal(recording.signals, samples.T)  # 24-bit units, not shifted into 32 bits
    recording.write(recording.signals / 2 + 0.4, tmp_path / "y.wav")
    before, after = source.read_bytes(), (tmp_path / "y.wav").read_bytes()
    assert len(after) == len(before) and after[:before.index(b"data") + 8] == before[:before.index(b"data") + 8]
    np.testing.assert_array_equal(read_recording(tmp_path / "y.wav").signals, np.rint(samples.T / 2 + 0.4))
    recording.write(recording.signals * 8, tmp_path / "z.wav")  # clipped to 24 bits, not wrapped
    assert read_recording(tmp_path / "z.wav").signals.max() == 2**23 - 1


@pytest.mark.parametrize("cut, fragment", [(60, "the file is truncated: its 'data' chunk says"),
                                           (30, "is truncated: its 'fmt ' chunk says"),
                                           (6, "not a WAV file")])
def test_a_truncated_wav_is_one_error_naming_the_file(tmp_path, cut, fragment):
    data = wav_bytes(np.zeros((100, 1), np.int16), 16)
    (tmp_path / "cut.wav").write_bytes(data[:cut])
    with pytest.raises(RecordingError, match=fragment) as info:
        read_recording(tmp_path / "cut.wav")
    assert str(tmp_path / "cut.wav") in str(info.value)


def test_a_failed_write_leaves_no_file_and_no_partial_one(tmp_path):
    path = tmp_path / "x.npy"
    np.save(path, np.sin(np.arange(10.0)))
    recording = read_recording(path)
    with pytest.raises(RecordingError, match="shape"):
        recording.write(np.zeros((2, 10)), tmp_path / "y.npy")

    def interrupted(denoised, target):
        target.write_bytes(b"half")
        raise KeyboardInterrupt

    recording._write = interrupted
    with pytest.raises(KeyboardInterrupt):
        recording.write(np.zeros((1, 10)), tmp_path / "y.npy")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.npy"]


@given(st.sampled_from([(7,), (3, 5), (5, 3), (2, 9), (1, 1)]), st.integers(1, 12), st.booleans())
def test_npy_blocks_are_the_arrays_c_order_data(shape, size, transposed):
    from skdenoise.io.arrays import _blocks_in_c_order

    array = np.arange(np.prod(shape)).reshape(shape)
    array = array.T if transposed else array
    blocks = list(_blocks_in_c_order(array, size))
    assert all(block.size <= size for block in blocks)
    np.testing.assert_array_equal(np.concatenate([block.ravel() for block in blocks]), array.ravel())


def test_edf_signals_are_channels_and_annotations_and_other_signals_come_back(tmp_path):
    edfio = pytest.importorskip("edfio")
    rng = np.random.default_rng(0)
    eeg = [np.sin(np.arange(2560) / (7.0 + i)) * 50 + 10 * rng.standard_normal(2560) for i in range(2)]
    status = np.tile(np.repeat([0.0, 1.0, 2.0], 10), 86)[:2560]
    signals = [edfio.EdfSignal(eeg[0], 256, label="EEG Fz", physical_dimension="uV"),
               edfio.EdfSignal(eeg[1], 256, label="EEG Cz", physical_dimension="uV"),
               edfio.EdfSignal(status, 256, label="Status"),
               edfio.EdfSignal(rng.standard_normal(10 * 32), 32, label="Resp")]
    edf = edfio.Edf(signals, annotations=[edfio.EdfAnnotation(1.5, None, "eyes closed")])
    edf.write(tmp_path / "x.edf")
    recording = read_recording(tmp_path / "x.edf")
    assert recording.channels == ["EEG Fz", "EEG Cz"]
    assert "label or flag" in recording.left["Status"] and "32 Hz" in recording.left["Resp"]
    recording.write(recording.signals * 0.5, tmp_path / "y.edf")
    before, after = edfio.read_edf(tmp_path / "x.edf"), edfio.read_edf(tmp_path / "y.edf")
    for index in (2, 3):
        np.testing.assert_array_equal(after.signals[index].digital, before.signals[index].digital)
    np.testing.assert_allclose(after.signals[0].data, 0.5 * before.signals[0].data, atol=0.01)
    assert [a.text for a in after.annotations] == ["eyes closed"]
    with pytest.raises(RecordingError, match="sampled at different rates"):
        read_recording(tmp_path / "x.edf", columns=["EEG Fz", "Resp"])


def test_parquet_columns_are_channels_and_the_others_come_back_value_for_value(tmp_path):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    rng = np.random.default_rng(0)
    value = np.sin(np.arange(300) / 8.0) + 0.2 * rng.standard_normal(300)
    counts = np.round(100 + 30 * value).astype(np.int32)
    table = pa.table({"time": pa.array(np.arange(300, dtype=np.int64)),
                      "value": pa.array(value, mask=np.arange(300) % 97 == 5),
                      "counts": pa.array(counts),
                      "site": pa.array(["a"] * 300),
                      "flag": pa.array((np.arange(300) % 50 == 0).astype(np.int8))},
                     metadata={b"origin": b"logger"})
    pq.write_table(table, tmp_path / "x.parquet", compression="gzip")
    recording = read_recording(tmp_path / "x.parquet")
    assert recording.channels == ["value", "counts"] and set(recording.left) == {"time", "site", "flag"}
    assert np.isnan(recording.signals[0, 5]) and not np.isnan(recording.signals[0, 6])
    recording.write(recording.signals * 2, tmp_path / "y.parquet")
    out = pq.read_table(tmp_path / "y.parquet")
    assert out.schema == table.schema and out.schema.metadata[b"origin"] == b"logger"
    for name in ("time", "site", "flag"):
        assert out.column(name).equals(table.column(name))
    assert out.column("value").null_count == table.column("value").null_count
    np.testing.assert_allclose(out.column("value").to_numpy(zero_copy_only=False)[6], 2 * value[6])
    assert out.column("counts").type == pa.int32()
    assert pq.ParquetFile(tmp_path / "y.parquet").metadata.row_group(0).column(0).compression == "GZIP"

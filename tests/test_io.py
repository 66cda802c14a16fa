"""Recordings in files: every format read into (channels, time) and written back with all else kept."""

import zipfile

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.io import wavfile

from skdenoise.io import RecordingError, read_recording

CSV = ('\ufefftime;"level, raw";note;count\r\n'
       '2026-01-01 00:00;1.5;"said ""hi""";3\r\n'
       '2026-01-01 00:01;2.25;;4\r\n'
       '2026-01-01 00:02;-0.125;x;5\r\n')


def test_csv_keeps_every_other_column_the_header_and_the_rows_byte_for_byte(tmp_path):
    path = tmp_path / "trace.csv"
    path.write_bytes(CSV.encode("utf-8"))
    recording = read_recording(path)
    assert recording.channels == ["level, raw", "count"]  # every numeric column; the rest are kept
    np.testing.assert_array_equal(recording.signals, [[1.5, 2.25, -0.125], [3, 4, 5]])
    values = np.array([[0.1, 1 / 3, 1e-8], [7, 8, 9]])
    recording.write(values, tmp_path / "out.csv")
    written = (tmp_path / "out.csv").read_bytes().decode("utf-8")
    assert written.startswith("\ufefftime;")
    for before, after in zip(CSV.split("\r\n"), written.split("\r\n")):
        kept = [0, 2]
        assert [before.split(";")[i] for i in kept if i < len(before.split(";"))] == \
               [after.split(";")[i] for i in kept if i < len(after.split(";"))]
    back = read_recording(tmp_path / "out.csv").signals
    np.testing.assert_array_equal(back.astype(np.float32), values.astype(np.float32))  # float32 round trip


def test_csv_columns_by_name_or_index(tmp_path):
    path = tmp_path / "trace.csv"
    path.write_bytes(CSV.encode("utf-8"))
    assert read_recording(path, columns=["count"]).channels == ["count"]
    assert read_recording(path, columns=["1"]).channels == ["level, raw"]
    tsv = tmp_path / "trace.tsv"
    tsv.write_text("a\tb\n1\t2\n3\t4\n")
    np.testing.assert_array_equal(read_recording(tsv, columns=[1]).signals, [[2, 4]])


@pytest.mark.parametrize("text, columns, fragment", [
    ("a,b\n1,x\n2,3\n", ["b"], "row 2, column 'b': 'x' is not a number"),
    ("a,b\n1,2\n3\n", None, "row 3 has 1 fields, the header 2"),
    ("a,b\n1,2\n", ["c"], "there is no column 'c'; the columns are a, b"),
    ("a,b\n1,2\n", ["5"], "there is no column 5 (columns 0 to 1)"),
    ("a,b\nx,y\n", None, "no column holds numbers only"),
    ("", None, "the file is empty"),
    ("a,b\n", ["a"], "the recording is empty"),
])
def test_bad_csv_files_name_the_file_row_or_column(tmp_path, text, columns, fragment):
    path = tmp_path / "bad.csv"
    path.write_text(text)
    with pytest.raises(RecordingError) as info:
        read_recording(path, columns=columns)
    assert str(path) in str(info.value) and fragment in str(info.value)


def test_unknown_and_missing_files_are_refused(tmp_path):
    (tmp_path / "a.xlsx").write_text("x")
    with pytest.raises(RecordingError, match="unknown kind of file '.xlsx'"):
        read_recording(tmp_path / "a.xlsx")
    with pytest.raises(RecordingError, match="no such file"):
        read_recording(tmp_path / "missing.csv")


@pytest.mark.parametrize("shape, time_axis, channels", [((500,), None, 1), ((3, 500), None, 3), ((500, 3), None, 3),
                                                        ((4, 6), 0, 6)])
def test_npy_keeps_shape_and_dtype_and_reads_through_a_memmap(tmp_path, shape, time_axis, channels):
    path = tmp_path / "x.npy"
    np.save(path, np.arange(np.prod(shape), dtype=np.float32).reshape(shape))
    recording = read_recording(path, time_axis=time_axis)
    assert recording.signals.shape[0] == channels
    assert isinstance(recording.signals.base, np.memmap) or isinstance(recording.signals, np.memmap)
    recording.write(recording.signals * 2, tmp_path / "y.npy")
    out = np.load(tmp_path / "y.npy")
    assert out.shape == shape and out.dtype == np.float32
    np.testing.assert_array_equal(out, 2 * np.load(path))


def test_integer_arrays_are_rounded_and_clipped_to_their_dtype(tmp_path):
    path = tmp_path / "x.npy"
    np.save(path, np.array([0, 100, -100, 30000], dtype=np.int16))
    recording = read_recording(path)
    recording.write(np.array([[0.4, 100.6, -40000.0, 40000.0]]), tmp_path / "y.npy")
    np.testing.assert_array_equal(np.load(tmp_path / "y.npy"), np.array([0, 101, -32768, 32767], dtype=np.int16))


def test_npz_denoises_its_arrays_and_keeps_the_others_and_the_compression(tmp_path):
    path = tmp_path / "x.npz"
    np.savez_compressed(path, a=np.arange(100.0), b=np.ones((2, 100), np.float32), names=np.array(["p", "q"]))
    recording = read_recording(path)
    assert recording.channels == ["a", "b[0]", "b[1]"]
    recording.write(recording.signals + 1, tmp_path / "y.npz")
    out = np.load(tmp_path / "y.npz")
    np.testing.assert_array_equal(out["a"], np.arange(100.0) + 1)
    assert out["b"].dtype == np.float32 and out["b"].shape == (2, 100)
    np.testing.assert_array_equal(out["names"], ["p", "q"])
    assert all(info.compress_type == zipfile.ZIP_DEFLATED for info in zipfile.ZipFile(tmp_path / "y.npz").infolist())
    assert read_recording(path, columns=["a"]).channels == ["a"]
    with pytest.raises(RecordingError, match="there is no array 'c'"):
        read_recording(path, columns=["c"])


@pytest.mark.parametrize("dtype, channels", [(np.int16, 1), (np.int16, 2), (np.float32, 2)])
def test_wav_keeps_rate_channels_and_dtype(tmp_path, dtype, channels):
    rate = 8000
    t = np.arange(800) / rate
    data = np.stack([np.sin(2 * np.pi * 440 * t)] * channels, axis=-1).squeeze()
    data = (data * 10000).astype(dtype) if dtype == np.int16 else (0.5 * data).astype(dtype)
    wavfile.write(tmp_path / "x.wav", rate, data)
    recording = read_recording(tmp_path / "x.wav")
    assert recording.signals.shape == (channels, 800)
    recording.write(recording.signals * 4, tmp_path / "y.wav")
    out_rate, out = wavfile.read(tmp_path / "y.wav")
    assert out_rate == rate and out.dtype == dtype and out.shape == data.shape
    limit = 32767 if dtype == np.int16 else 1.0
    assert np.abs(out).max() <= limit and np.abs(out).max() >= 0.99 * min(limit, 4 * np.abs(data.astype(float)).max())


def test_a_failed_write_leaves_no_file_and_no_partial_one(tmp_path):
    path = tmp_path / "x.npy"
    np.save(path, np.arange(10.0))
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
    from skdenoise.io import _blocks_in_c_order

    array = np.arange(np.prod(shape)).reshape(shape)
    array = array.T if transposed else array
    blocks = list(_blocks_in_c_order(array, size))
    assert all(block.size <= size for block in blocks)
    np.testing.assert_array_equal(np.concatenate([block.ravel() for block in blocks]), array.ravel())

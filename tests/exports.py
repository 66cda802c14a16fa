"""Files shaped like real loggers' exports, for the tests of reading and of the file command: time stamps,
date-times, flags, labels, units, gaps, decimal commas. Each writer returns the clean and noisy measurement."""

import numpy as np


def measurement(length, seed=0, noise=0.3, period=150.0):
    """A smooth trace and a noisy copy of it."""
    rng = np.random.default_rng(seed)
    t = np.arange(length)
    clean = np.sin(2 * np.pi * t / period) + 0.4 * np.sin(2 * np.pi * t / (period / 5.3))
    return clean, clean + noise * rng.standard_normal(length)


def logger_csv(path, length=7501, seed=0):
    """``timestamp,value,is_anomaly``: integer time stamps 0, 1, 2, ..., a measurement, a 0/1 flag."""
    clean, noisy = measurement(length, seed)
    flags = (np.random.default_rng(seed + 1).random(length) < 0.03).astype(int)
    rows = [f"{i},{noisy[i]:.6f},{flags[i]}" for i in range(length)]
    path.write_text("timestamp,value,is_anomaly\n" + "\n".join(rows) + "\n")
    return clean, noisy


def ecg_csv(path, length=3000, seed=0):
    """``data,label``: a pulse train with noise and an integer class label per sample."""
    rng = np.random.default_rng(seed)
    t = np.arange(length)
    clean = np.sin(np.pi * t / 180.0) ** 20 - 0.2 * np.sin(2 * np.pi * t / 360.0)
    noisy = clean + 0.1 * rng.standard_normal(length)
    labels = (t // 500) % 3
    path.write_text("data,label\n" + "\n".join(f"{noisy[i]:.5f},{labels[i]}" for i in range(length)) + "\n")
    return clean, noisy


def gapped_csv(path, length=2000, seed=0, every=250):
    """``t,v``: a sample index and a measurement with an empty cell every `every` rows (a logger's gaps)."""
    clean, noisy = measurement(length, seed)
    cells = ["" if i % every == 17 else f"{noisy[i]:.5f}" for i in range(length)]
    path.write_text("t,v\n" + "\n".join(f"{i},{cell}" for i, cell in enumerate(cells)) + "\n")
    clean[[i for i in range(length) if i % every == 17]] = np.nan
    noisy[np.isnan(clean)] = np.nan
    return clean, noisy


def european_csv(path, length=1500, seed=0):
    """A preamble, a header and a units row; ``;`` between fields, decimal commas; ISO date-times, a status
    text, a constant, a measurement with a NaN gap and a level in whole units (many distinct integers)."""
    clean, noisy = measurement(length, seed)
    level = np.round(200 + 40 * clean + 3 * np.random.default_rng(seed + 2).standard_normal(length)).astype(int)
    lines = ["# exported by logger 4.2", "time;status;gain;pressure;level", "ISO 8601;-;dB;kPa;mm"]
    for i in range(length):
        stamp = f"2026-12-06T{i // 3600:02d}:{i // 60 % 60:02d}:{i % 60:02d}"
        pressure = "NaN" if i == 700 else f"{noisy[i]:.4f}".replace(".", ",")
        lines.append(f"{stamp};{'ok' if i % 400 else 'check'};12;{pressure};{level[i]}")
    path.write_text("\r\n".join(lines) + "\r\n")
    noisy[700] = np.nan
    return clean, noisy

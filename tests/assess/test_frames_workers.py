"""A large ledger's frames read in worker processes are those read in one process, in
the claims' order. Every sentence here was written for these tests."""

from __future__ import annotations

import multiprocessing
import os

from test_matching import said

from claimledger.assess import frames as frames_module

SENTENCES = [
    ("About 300 Russian soldiers were killed near Kursk, Ukraine's General Staff said.", "300", 300),
    ("Israeli strikes on Rafah killed 25 civilians on Friday, the health ministry said.", "25", 25),
    ("Since the start of the offensive, Russian losses in the Kursk region have reached 62,400 personnel.",
     "62,400", 62400),
    ("Some 1,500 North Korean troops were deployed to Russia's Far East.", "1,500", 1500),
    ("The strike on the market in El Fasher killed at least 40 people.", "40", 40),
]


def test_frames_read_in_workers_are_those_read_in_one_process(monkeypatch):
    claims = [said(f"doc{i}", sentence, number, value, published=f"2025-04-{1 + i % 28:02d}",
                   sources=[["Ukraine's General Staff"]] if "General Staff" in sentence else ())
              for i in range(8) for sentence, number, value in SENTENCES]
    alone = frames_module.frames_of(claims)
    parent, read_elsewhere = os.getpid(), multiprocessing.get_context("fork").Value("i", 0)
    own = frames_module.frame_of

    def counting(claim):
        if os.getpid() != parent:
            with read_elsewhere.get_lock():
                read_elsewhere.value += 1
        return own(claim)

    monkeypatch.setattr(frames_module, "frame_of", counting)
    monkeypatch.setattr(frames_module, "FRAMES_IN_WORKERS", 10)
    monkeypatch.setattr(frames_module, "FRAMES_PER_TASK", 7)
    in_workers = frames_module.frames_of(claims, workers=2)
    assert list(in_workers) == list(alone) and in_workers == alone
    assert read_elsewhere.value == len(claims) - len(claims) // 2  # the other half, in a forked worker

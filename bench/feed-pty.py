#!/usr/bin/env python3
"""Writes a raw capture into a pty at the box's own pace (one frame every 10 ms), looping,
until killed: a stand-in for a box on USB. Usage: feed-pty.py CAPTURE.bin PTY FRAME_LENGTH"""
import sys
import time

capture, pty, frame_length = sys.argv[1], sys.argv[2], int(sys.argv[3])
data = open(capture, "rb").read()
frames = [data[k:k + frame_length] for k in range(0, len(data) - frame_length + 1, frame_length)]
with open(pty, "wb", buffering=0) as out:
    start = time.monotonic()
    sent = 0
    while True:
        due = start + sent * 0.010
        delay = due - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        out.write(frames[sent % len(frames)])
        sent += 1

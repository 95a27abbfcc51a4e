#!/usr/bin/env python3
"""Links LFW aligned crops into an image folder (one sub-folder per person) for the gallery experiments.

    gallery-link-lfw.py DATA pairs|people LIST OUT

`pairs`: every image a pair list (LFW format) names; `people`: every image of the people a people list names.
Links already there are kept.
"""
import os
import sys

data, kind, listed, out = sys.argv[1:5]


def link(name, number):
    file = f"{name}_{int(number):04d}.jpg"
    os.makedirs(f"{out}/{name}", exist_ok=True)
    target = f"{out}/{name}/{file}"
    if not os.path.lexists(target):
        os.symlink(f"{data}/lfw/aligned/{name}/{file}", target)


for line in filter(None, open(listed).read().split("\n")[1:]):
    parts = line.split("\t")
    if kind == "people":
        for number in range(1, int(parts[1]) + 1):
            link(parts[0], number)
    elif len(parts) == 3:
        link(parts[0], parts[1])
        link(parts[0], parts[2])
    else:
        link(parts[0], parts[1])
        link(parts[2], parts[3])

#!/usr/bin/python3
"""Builds Assets/SourceSans3-latin.woff2, the font embedded in every report.

Source Sans 3 (SIL Open Font License 1.1, see OFL.txt), variable weight 200-900, latin subset from
the npm package @fontsource-variable/source-sans-3 5.3.1. That subset lacks the narrow no-break
space (U+202F) French typography puts before « % » and between thousands; it is mapped here to the
font's thin space (U+2009), which has the same role and width.

    npm pack @fontsource-variable/source-sans-3@5.3.1 && tar xzf fontsource-variable-source-sans-3-5.3.1.tgz
    /usr/bin/python3 make-font.py package/files/source-sans-3-latin-wght-normal.woff2 SourceSans3-latin.woff2

Needs Debian's python3-fonttools and python3-brotli.
"""
import sys
from fontTools.ttLib import TTFont

source, target = sys.argv[1], sys.argv[2]
font = TTFont(source)
thin_space = font.getBestCmap()[0x2009]
for table in font["cmap"].tables:
    if table.isUnicode():
        table.cmap[0x202F] = thin_space
font.flavor = "woff2"
font.save(target)

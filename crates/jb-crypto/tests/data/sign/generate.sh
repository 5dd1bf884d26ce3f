#!/bin/sh
# Regenerates sign.txt of every case under this folder with sha1sum, from
# concatenation.txt. Each concatenation.txt is written by hand: the lines of
# values.txt and the text of app_key.txt, sorted as Java's String.compareTo
# sorts (by UTF-16 code units), joined with no separator.
# Run from this folder: sh generate.sh
set -eu
for case in */; do
    case=${case%/}
    sha1sum < "$case/concatenation.txt" | cut -c1-40 | tr -d '\n' > "$case/sign.txt"
done

#!/bin/sh
# Regenerates the expected files of sealed-request/ and sealed-response/ with
# OpenSSL and sha1sum, independently of this crate:
#   data          = Base64(AES-128-ECB-PKCS7(MD5(appKey), data.json)), one line
#   concatenation = the field values and the appKey, sorted and joined. `sort`
#                   with LC_ALL=C sorts by bytes, which equals Java's UTF-16
#                   order here because no value has a character above U+FFFF.
#   sign          = SHA-1 of the concatenation, lowercase hex
#   body.json     = the fields in the order appId, serialNo, timeStamp, method,
#                   returnCode, returnMsg, data, sign, with no whitespace.
# Run from this folder: sh generate.sh
set -eu

encrypt() {
    key=$(openssl dgst -md5 -hex < "$1/app_key.txt" | sed 's/.* //')
    openssl enc -aes-128-ecb -K "$key" -base64 -A < "$1/data.json" | tr -d '\n'
}

field() {
    tr -d '\n' < "$1/$2.txt"
}

seal() {
    case=$1
    shift
    data=$(encrypt "$case")
    printf '%s' "$data" > "$case/data.txt"
    { for name in "$@"; do field "$case" "$name"; echo; done
      echo "$data"
      field "$case" app_key; echo; } | LC_ALL=C sort | tr -d '\n' > "$case/concatenation.txt"
    sha1sum < "$case/concatenation.txt" | cut -c1-40 | tr -d '\n' > "$case/sign.txt"
    {
        printf '{'
        for name in "$@"; do printf '"%s":"%s",' "$name" "$(field "$case" "$name")"; done
        printf '"data":"%s","sign":"%s"}' "$data" "$(cat "$case/sign.txt")"
    } > "$case/body.json"
}

seal sealed-request appId serialNo timeStamp method
seal sealed-response appId serialNo timeStamp method returnCode returnMsg

#!/bin/sh
# Regenerates the ciphertexts of every case under this folder with OpenSSL, an
# implementation independent of this crate:
#   key        = MD5(app_key.txt)
#   ciphertext = Base64(AES-128-ECB-PKCS7(key, plaintext.txt)), on one line
#   ciphertext_wrapped.txt: the same Base64 wrapped at 76 columns with CRLF, as
#   old Java MIME encoders write it (no line break after the last line).
# Run from this folder: sh generate.sh
set -eu
for case in */; do
    case=${case%/}
    key=$(openssl dgst -md5 -hex < "$case/app_key.txt" | sed 's/.* //')
    printf '%s' "$key" > "$case/key_hex.txt"
    openssl enc -aes-128-ecb -K "$key" -base64 -A < "$case/plaintext.txt" \
        | tr -d '\n' > "$case/ciphertext.txt"
    fold -w 76 "$case/ciphertext.txt" | sed '$!s/$/\r/' > "$case/ciphertext_wrapped.txt"
done

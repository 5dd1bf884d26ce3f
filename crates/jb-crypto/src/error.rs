//! Errors of decryption and sign verification.

/// Failure to decrypt a `data` ciphertext.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DecryptError {
    /// The text is not standard Base64 with `=` padding, even after removing CR and LF.
    #[error(
        "ciphertext is not valid standard Base64 ({source}); pass the data field exactly as received"
    )]
    InvalidBase64 {
        /// Error reported by the Base64 decoder.
        source: base64::DecodeError,
    },

    /// The decoded bytes are not a positive whole number of 16-byte AES blocks, which usually
    /// means the text was cut short or was never encrypted.
    #[error(
        "ciphertext decodes to {length} bytes, not a positive multiple of the 16-byte AES block; \
         check that the data field is complete and encrypted"
    )]
    InvalidLength {
        /// Decoded length in bytes.
        length: usize,
    },

    /// The last block does not end in valid PKCS#7 padding. A ciphertext altered in transit
    /// produces this, and so does a wrong appKey in an estimated 255 cases out of 256 (the
    /// rest decrypt to garbage that happens to end in valid padding).
    #[error(
        "ciphertext has invalid PKCS#7 padding after decryption; check the appKey and that the \
         data field was not altered"
    )]
    BadPadding,

    /// The plaintext is not UTF-8 text.
    #[error(
        "decrypted data is not valid UTF-8 (invalid byte at offset {valid_up_to}); the sender \
         must encrypt UTF-8 text"
    )]
    NotUtf8 {
        /// Length of the valid UTF-8 prefix in bytes.
        valid_up_to: usize,
    },
}

/// Reason a received sign is rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyError {
    /// The sign is not 40 bytes long, the hex length of a SHA-1 digest.
    #[error("sign is {length} bytes long; expected 40 hexadecimal digits of a SHA-1 digest")]
    InvalidLength {
        /// Length of the received sign in bytes.
        length: usize,
    },

    /// The sign has 40 characters but some are not hexadecimal digits.
    #[error("sign contains a character other than 0-9, a-f or A-F; expected 40 hexadecimal digits")]
    InvalidHex,

    /// The sign is well formed but differs from the one computed over the fields and appKey.
    #[error(
        "sign does not match the fields and appKey; check the appKey and that no field was \
         changed after signing"
    )]
    Mismatch,
}

//! SHA-1 sign and AES-128-ECB data cipher of the Shenzhen police-insurance platform
//! (深圳市警保信息共享平台).
//!
//! Every envelope exchanged with the platform carries a `sign` (签名) and an encrypted `data`
//! field, both keyed by the `appKey` the platform issues to each insurer:
//!
//! - the sign is the lowercase hex SHA-1 of the envelope's field values and the appKey, sorted
//!   by UTF-16 code units and concatenated ([`sign`], [`verify`]);
//! - `data` is AES-128 in ECB mode with PKCS#7 padding, keyed by the 16-byte MD5 digest of the
//!   appKey, in standard Base64 ([`DataCipher`]).
//!
//! This crate depends on no serialization, async or HTTP library, so it can be embedded alone.
//!
//! # Security
//!
//! These algorithms are what the platform mandates, and none of them would be chosen today.
//! Use them to talk to the platform and for nothing else.
//!
//! - **SHA-1** is broken for collision resistance (chosen-prefix collisions are practical), and
//!   the sign is a bare hash of secret plus data rather than an HMAC. Its protection rests on
//!   the appKey staying secret, and it gives weaker guarantees than a modern MAC.
//! - **AES-ECB** encrypts equal 16-byte blocks to equal ciphertext blocks, so the structure of
//!   the plaintext shows through, and it provides no integrity: blocks can be cut, reordered or
//!   replayed. Only the sign over the Base64 text detects tampering.
//! - **MD5** as key derivation adds no stretching, so a guessable appKey can be found offline
//!   from any captured envelope.
//!
//! # Example
//!
//! ```
//! use jb_crypto::{AppKey, DataCipher, sign, verify};
//!
//! let app_key = AppKey::new("123456");
//! let cipher = DataCipher::new(&app_key);
//!
//! let data = cipher.encrypt(br#"{"billNo":"000000000001"}"#);
//! assert_eq!(data, "EpQ2wjVMPiM4BcmmJnXaydzQIP2F/ZU69SEveShrcaA=");
//! assert_eq!(cipher.decrypt(&data)?, br#"{"billNo":"000000000001"}"#);
//!
//! let fields = ["APPID88888", "sn12345678900987654321", "20161201141000", data.as_str()];
//! let signature = sign(fields, &app_key);
//! assert_eq!(signature, "a1822db84a9e75106b00872921ee1a71672f8dd4");
//! verify(fields, &app_key, &signature.to_uppercase())?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod app_key;
mod cipher;
mod error;
mod sign;

pub use crate::app_key::AppKey;
pub use crate::cipher::{DataCipher, aes_key_bytes};
pub use crate::error::{DecryptError, VerifyError};
pub use crate::sign::{
    APP_KEY_MASK, SignExplanation, SignPart, compare_utf16, explain_sign, sign, verify,
};

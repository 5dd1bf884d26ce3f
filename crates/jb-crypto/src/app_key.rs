//! The shared secret issued by the platform.

use std::fmt;

use zeroize::{Zeroize, ZeroizeOnDrop};

/// appKey (密钥): the secret the platform issues to each insurer, used both to sign envelopes
/// and to derive the data-encryption key.
///
/// `Debug` and `Display` print `AppKey(***)`, never the secret, and the string is overwritten
/// with zeros when the value is dropped. Read the bytes only through [`AppKey::expose_secret`].
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct AppKey {
    secret: String,
}

impl AppKey {
    /// Wraps the secret. The text is used exactly as given: trim a trailing newline read from a
    /// file before calling this.
    pub fn new(secret: impl Into<String>) -> Self {
        Self {
            secret: secret.into(),
        }
    }

    /// Returns the secret itself. Every call site is a place where the key can leak, so use it
    /// only to feed a hash or a cipher.
    pub fn expose_secret(&self) -> &str {
        &self.secret
    }

    /// Returns `true` when the secret is the empty string, which is never a key the platform
    /// issues.
    pub fn is_empty(&self) -> bool {
        self.secret.is_empty()
    }
}

impl From<String> for AppKey {
    fn from(secret: String) -> Self {
        Self::new(secret)
    }
}

impl From<&str> for AppKey {
    fn from(secret: &str) -> Self {
        Self::new(secret)
    }
}

impl fmt::Debug for AppKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AppKey(***)")
    }
}

impl fmt::Display for AppKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AppKey(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::AppKey;

    #[test]
    fn debug_is_redacted() {
        let key = AppKey::new("123456");

        assert_eq!(format!("{key:?}"), "AppKey(***)");
        assert_eq!(format!("{key:#?}"), "AppKey(***)");
    }

    #[test]
    fn display_is_redacted() {
        let key = AppKey::new("s3cr3t-value");

        assert_eq!(key.to_string(), "AppKey(***)");
    }

    #[test]
    fn expose_secret_returns_text_unchanged() {
        let key = AppKey::from(" 123456\n".to_owned());

        assert_eq!(key.expose_secret(), " 123456\n");
    }

    #[test]
    fn zeroize_clears_secret() {
        use zeroize::Zeroize;

        let mut key = AppKey::new("123456");
        key.zeroize();

        assert!(key.is_empty());
    }
}

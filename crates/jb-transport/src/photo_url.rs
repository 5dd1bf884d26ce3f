//! Photo URL checks before any request: expiry (`e=`) and prefix rewrite.

use std::time::{SystemTime, UNIX_EPOCH};

use url::Url;

use crate::endpoint::check_http_url;
use crate::error::BuildError;
use crate::photo_error::PhotoError;

/// A rewrite of the start of a photo URL, for insurers who reach the photo host through an
/// internal address: `https://photos.example.com/` → `http://10.1.2.3:8080/photos/`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct PrefixRewrite {
    from: String,
    to: String,
}

impl PrefixRewrite {
    /// Checks that both prefixes are absolute `http(s)://` URLs.
    pub(crate) fn new(from: String, to: String) -> Result<Self, BuildError> {
        for prefix in [&from, &to] {
            let parsed = Url::parse(prefix).map_err(|error| BuildError::InvalidUrl {
                what: "rewrite prefix",
                url: prefix.clone(),
                reason: error.to_string(),
            })?;
            check_http_url("rewrite prefix", &parsed)?;
        }
        Ok(Self { from, to })
    }

    fn apply(&self, url: &str) -> Option<String> {
        url.strip_prefix(&self.from)
            .map(|rest| format!("{}{rest}", self.to))
    }
}

/// Parses a photo URL and applies the first rewrite whose prefix matches.
pub(crate) fn resolve(url: &str, rewrites: &[PrefixRewrite]) -> Result<Url, PhotoError> {
    let url = url.trim();
    let rewritten = rewrites.iter().find_map(|rewrite| rewrite.apply(url));
    let target = rewritten.as_deref().unwrap_or(url);

    let parsed = Url::parse(target).map_err(|error| PhotoError::InvalidUrl {
        reason: error.to_string(),
    })?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none_or(str::is_empty) {
        return Err(PhotoError::InvalidUrl {
            reason: "not an http:// or https:// URL with a host".to_owned(),
        });
    }
    Ok(parsed)
}

/// Returns the expiry of a photo URL: its `e` query parameter in Unix seconds, if present.
pub(crate) fn expiry(url: &Url) -> Result<Option<u64>, PhotoError> {
    let Some((_, value)) = url.query_pairs().find(|(name, _)| name == "e") else {
        return Ok(None);
    };
    value
        .trim()
        .parse::<u64>()
        .map(Some)
        .map_err(|_| PhotoError::InvalidExpiry {
            value: value.into_owned(),
        })
}

/// Fails with [`PhotoError::Expired`] when the URL's expiry is not after the current time.
pub(crate) fn check_not_expired(url: &Url) -> Result<(), PhotoError> {
    let Some(expires_at) = expiry(url)? else {
        return Ok(());
    };
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs());
    if expires_at <= now {
        return Err(PhotoError::Expired { expires_at, now });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rewrite(from: &str, to: &str) -> PrefixRewrite {
        PrefixRewrite::new(from.to_owned(), to.to_owned()).unwrap()
    }

    #[test]
    fn resolve_rewrites_matching_prefix() {
        let rewrites = [rewrite(
            "https://photos.example.invalid/",
            "http://10.0.0.7:8080/p/",
        )];
        let url = resolve("https://photos.example.invalid/a/b.jpg?e=9&t=x", &rewrites).unwrap();
        assert_eq!(url.as_str(), "http://10.0.0.7:8080/p/a/b.jpg?e=9&t=x");
    }

    #[test]
    fn resolve_first_matching_rewrite_wins() {
        let rewrites = [
            rewrite("https://a.example.invalid/x/", "http://10.0.0.1/"),
            rewrite("https://a.example.invalid/", "http://10.0.0.2/"),
        ];
        let url = resolve("https://a.example.invalid/x/1.jpg", &rewrites).unwrap();
        assert_eq!(url.host_str(), Some("10.0.0.1"));
        let url = resolve("https://a.example.invalid/y/1.jpg", &rewrites).unwrap();
        assert_eq!(url.host_str(), Some("10.0.0.2"));
    }

    #[test]
    fn resolve_leaves_other_urls() {
        let rewrites = [rewrite("https://a.example.invalid/", "http://10.0.0.2/")];
        let url = resolve("https://b.example.invalid/1.jpg", &rewrites).unwrap();
        assert_eq!(url.host_str(), Some("b.example.invalid"));
    }

    #[test]
    fn resolve_rejects_non_http() {
        assert!(matches!(
            resolve("file:///etc/passwd", &[]),
            Err(PhotoError::InvalidUrl { .. })
        ));
        assert!(matches!(
            resolve("not a url", &[]),
            Err(PhotoError::InvalidUrl { .. })
        ));
    }

    #[test]
    fn rewrite_rejects_relative_prefix() {
        assert!(PrefixRewrite::new("photos/".to_owned(), "http://10.0.0.1/".to_owned()).is_err());
        assert!(
            PrefixRewrite::new(
                "http://a.invalid/".to_owned(),
                "ftp://b.invalid/".to_owned()
            )
            .is_err()
        );
    }

    #[test]
    fn expiry_reads_e_parameter() {
        let url = Url::parse("https://p.invalid/1.jpg?token=a&e=1700000000").unwrap();
        assert_eq!(expiry(&url).unwrap(), Some(1_700_000_000));
        let url = Url::parse("https://p.invalid/1.jpg?token=a").unwrap();
        assert_eq!(expiry(&url).unwrap(), None);
    }

    #[test]
    fn expiry_rejects_non_numeric() {
        let url = Url::parse("https://p.invalid/1.jpg?e=tomorrow").unwrap();
        assert!(matches!(
            expiry(&url),
            Err(PhotoError::InvalidExpiry { .. })
        ));
    }

    #[test]
    fn check_not_expired_past_and_future() {
        let past = Url::parse("https://p.invalid/1.jpg?e=1").unwrap();
        assert!(matches!(
            check_not_expired(&past),
            Err(PhotoError::Expired { expires_at: 1, .. })
        ));
        let future = Url::parse("https://p.invalid/1.jpg?e=99999999999").unwrap();
        assert!(check_not_expired(&future).is_ok());
        let none = Url::parse("https://p.invalid/1.jpg").unwrap();
        assert!(check_not_expired(&none).is_ok());
    }
}

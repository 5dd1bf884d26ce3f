//! serialNo (通讯流水号): the identifier of one request.

use std::fmt;
use std::hash::{BuildHasher as _, RandomState};
use std::process;
use std::str::FromStr;
use std::sync::LazyLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use crate::TimeStamp;
use crate::error::truncate_for_message;

/// Maximum length of a serialNo, counted in UTF-16 code units as the platform counts.
pub const SERIAL_NO_MAX_LEN: usize = 32;

/// Bits of the per-generator counter, written as 14 hex digits.
const COUNTER_BITS: u32 = 56;

/// A serialNo of 1 to 32 characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SerialNo(String);

impl SerialNo {
    /// Checks the length of `value` and wraps it.
    ///
    /// # Errors
    ///
    /// [`SerialNoError::Empty`] or [`SerialNoError::TooLong`].
    pub fn new(value: impl Into<String>) -> Result<Self, SerialNoError> {
        let value = value.into();
        let length = value.encode_utf16().count();

        if length == 0 {
            return Err(SerialNoError::Empty);
        }
        if length > SERIAL_NO_MAX_LEN {
            return Err(SerialNoError::TooLong {
                value: truncate_for_message(&value),
                length,
            });
        }
        Ok(Self(value))
    }

    /// Returns a fresh serialNo from the process-wide [`SerialNoGenerator`].
    pub fn generate() -> Self {
        static GENERATOR: LazyLock<SerialNoGenerator> = LazyLock::new(SerialNoGenerator::new);
        GENERATOR.next_serial_no()
    }

    /// Returns the text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Returns the text, consuming the value.
    pub fn into_string(self) -> String {
        self.0
    }
}

impl fmt::Display for SerialNo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for SerialNo {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl FromStr for SerialNo {
    type Err = SerialNoError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::new(text)
    }
}

/// A serialNo that is empty or too long.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SerialNoError {
    /// The serialNo is the empty string.
    #[error("serialNo is empty; it must have 1 to 32 characters")]
    Empty,

    /// The serialNo has more than 32 UTF-16 code units.
    #[error("serialNo {value:?} has {length} characters; it must have at most 32")]
    TooLong {
        /// Rejected value, shortened if long.
        value: String,
        /// Length in UTF-16 code units.
        length: usize,
    },
}

/// Source of serialNos that do not repeat across threads, processes and restarts.
///
/// Each serialNo is 32 characters: the Beijing time `yyyyMMddHHmmss`, then 4 hex digits that
/// identify the generator and 14 hex digits of a counter. Both are random when the generator
/// is created, and the counter then goes up by one per serialNo. One generator therefore
/// never repeats itself until the 56-bit counter wraps, and two generators collide only if
/// they share the second, the 16-bit identifier and a counter value, which the random starts
/// make vanishingly unlikely. The time prefix also keeps a restarted process from reusing
/// the serialNos of an earlier run.
#[derive(Debug)]
pub struct SerialNoGenerator {
    generator_id: u16,
    counter: AtomicU64,
}

impl SerialNoGenerator {
    /// Creates a generator with a random identifier and counter start.
    pub fn new() -> Self {
        // Keeping the low 16 bits of a random value is the intent of the cast.
        let generator_id = random_u64() as u16;
        Self {
            generator_id,
            counter: AtomicU64::new(random_u64()),
        }
    }

    /// Returns the next serialNo.
    pub fn next_serial_no(&self) -> SerialNo {
        let count = self.counter.fetch_add(1, Ordering::Relaxed) & ((1_u64 << COUNTER_BITS) - 1);
        let time = TimeStamp::now();

        SerialNo(format!(
            "{time}{id:04x}{count:014x}",
            id = self.generator_id
        ))
    }
}

impl Default for SerialNoGenerator {
    fn default() -> Self {
        Self::new()
    }
}

/// Draws 64 random bits from the operating system.
///
/// If the operating system has no randomness to give, the bits come from the standard
/// library's per-process hash keys mixed with the clock and the process id: unpredictable
/// enough to keep generators apart, which is all they are used for.
fn random_u64() -> u64 {
    getrandom::u64().unwrap_or_else(|_| {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|elapsed| elapsed.as_nanos())
            .unwrap_or_default();
        RandomState::new().hash_one((nanos, process::id()))
    })
}

#[cfg(test)]
mod tests {
    use super::{SERIAL_NO_MAX_LEN, SerialNo, SerialNoError, SerialNoGenerator};

    #[test]
    fn new_accepts_one_to_max_characters() {
        assert!(SerialNo::new("1").is_ok());
        assert!(SerialNo::new("x".repeat(SERIAL_NO_MAX_LEN)).is_ok());
    }

    #[test]
    fn new_rejects_empty() {
        assert_eq!(SerialNo::new(""), Err(SerialNoError::Empty));
    }

    #[test]
    fn new_rejects_33_characters() {
        let error = SerialNo::new("x".repeat(33)).expect_err("33 characters");

        assert!(matches!(error, SerialNoError::TooLong { length: 33, .. }));
    }

    #[test]
    fn new_counts_utf16_code_units() {
        // 16 characters above U+FFFF are 32 UTF-16 code units, 17 are 34.
        assert!(SerialNo::new("😀".repeat(16)).is_ok());
        assert!(SerialNo::new("😀".repeat(17)).is_err());
    }

    #[test]
    fn generator_output_has_time_and_hex_layout() {
        let serial_no = SerialNoGenerator::new().next_serial_no();
        let text = serial_no.as_str();

        assert_eq!(text.len(), SERIAL_NO_MAX_LEN, "{text}");
        assert!(
            text[..14].bytes().all(|byte| byte.is_ascii_digit()),
            "{text}"
        );
        assert!(
            text[14..]
                .bytes()
                .all(|byte| byte.is_ascii_digit() || (b'a'..=b'f').contains(&byte)),
            "{text}"
        );
    }

    #[test]
    fn generator_counter_wraps_within_layout() {
        let generator = SerialNoGenerator {
            generator_id: 0xabcd,
            counter: u64::MAX.into(),
        };

        let last = generator.next_serial_no();
        let wrapped = generator.next_serial_no();

        assert!(last.as_str().ends_with("abcdffffffffffffff"), "{last}");
        assert!(
            wrapped.as_str().ends_with("abcd00000000000000"),
            "{wrapped}"
        );
    }
}

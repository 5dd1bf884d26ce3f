//! Fault injection: each fault mode has a rate in [0, 1], drawn from a seeded generator so a
//! run with the same seed and the same request order injects the same faults.

use std::time::Duration;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use crate::error::ConfigError;

/// Probability of each fault mode per request, each in [0, 1]. All zero by default.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct FaultRates {
    /// Answer HTTP 500 before looking at the request.
    pub http_500: f64,
    /// Answer HTTP 503 before looking at the request.
    pub http_503: f64,
    /// Wait `delay_ms` before answering.
    pub delay: f64,
    /// Length of an injected delay, in milliseconds. Default: 2000.
    pub delay_ms: u64,
    /// Process the request, then close the connection without answering.
    pub drop_connection: f64,
    /// Answer with a sign that does not verify.
    pub wrong_sign: f64,
    /// Announce the whole body in `Content-Length`, send half of it, then close the connection.
    pub truncated_body: f64,
    /// Answer an upload with `data` as plain `SUCCESS` or `FAIL` instead of ciphertext.
    pub plain_upload_answer: f64,
    /// Wrap the Base64 `data` of a download answer with CR LF every 76 columns.
    pub wrapped_base64: f64,
    /// Answer a dispatch download that has exactly one record with that record as a single
    /// JSON object instead of a list.
    pub single_object_dispatch: f64,
    /// Send each `plateData` list of a warning or accident download as a string holding JSON.
    pub plate_data_as_string: f64,
}

impl Default for FaultRates {
    fn default() -> Self {
        Self {
            http_500: 0.0,
            http_503: 0.0,
            delay: 0.0,
            delay_ms: 2000,
            drop_connection: 0.0,
            wrong_sign: 0.0,
            truncated_body: 0.0,
            plain_upload_answer: 0.0,
            wrapped_base64: 0.0,
            single_object_dispatch: 0.0,
            plate_data_as_string: 0.0,
        }
    }
}

impl FaultRates {
    /// Checks that every rate is a number in [0, 1].
    pub fn validate(&self) -> Result<(), ConfigError> {
        for (fault, rate) in self.rates() {
            if !(0.0..=1.0).contains(&rate) {
                return Err(ConfigError::Rate {
                    name: fault.config_key(),
                    value: rate,
                });
            }
        }
        Ok(())
    }

    /// Returns the rate of one fault mode.
    pub fn rate(&self, fault: Fault) -> f64 {
        match fault {
            Fault::Http500 => self.http_500,
            Fault::Http503 => self.http_503,
            Fault::Delay => self.delay,
            Fault::DropConnection => self.drop_connection,
            Fault::WrongSign => self.wrong_sign,
            Fault::TruncatedBody => self.truncated_body,
            Fault::PlainUploadAnswer => self.plain_upload_answer,
            Fault::WrappedBase64 => self.wrapped_base64,
            Fault::SingleObjectDispatch => self.single_object_dispatch,
            Fault::PlateDataAsString => self.plate_data_as_string,
        }
    }

    fn rates(&self) -> impl Iterator<Item = (Fault, f64)> + '_ {
        Fault::ALL.iter().map(|fault| (*fault, self.rate(*fault)))
    }
}

/// One fault mode of the simulator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Fault {
    /// HTTP 500.
    Http500,
    /// HTTP 503.
    Http503,
    /// A delay before the answer.
    Delay,
    /// Connection closed without an answer.
    DropConnection,
    /// A response sign that does not verify.
    WrongSign,
    /// A body cut short.
    TruncatedBody,
    /// Upload answer data in plain text.
    PlainUploadAnswer,
    /// Base64 wrapped at 76 columns.
    WrappedBase64,
    /// A dispatch download answered as a single object.
    SingleObjectDispatch,
    /// plateData sent as a JSON string.
    PlateDataAsString,
}

impl Fault {
    /// Every fault mode, in the order they are drawn.
    pub const ALL: [Fault; 10] = [
        Fault::Http500,
        Fault::Http503,
        Fault::Delay,
        Fault::DropConnection,
        Fault::WrongSign,
        Fault::TruncatedBody,
        Fault::PlainUploadAnswer,
        Fault::WrappedBase64,
        Fault::SingleObjectDispatch,
        Fault::PlateDataAsString,
    ];

    /// Returns the key naming this fault's rate in the configuration file.
    pub fn config_key(self) -> &'static str {
        match self {
            Fault::Http500 => "faults.http_500",
            Fault::Http503 => "faults.http_503",
            Fault::Delay => "faults.delay",
            Fault::DropConnection => "faults.drop_connection",
            Fault::WrongSign => "faults.wrong_sign",
            Fault::TruncatedBody => "faults.truncated_body",
            Fault::PlainUploadAnswer => "faults.plain_upload_answer",
            Fault::WrappedBase64 => "faults.wrapped_base64",
            Fault::SingleObjectDispatch => "faults.single_object_dispatch",
            Fault::PlateDataAsString => "faults.plate_data_as_string",
        }
    }
}

/// Draws faults at the configured rates from a seeded generator.
#[derive(Debug)]
pub(crate) struct FaultInjector {
    rates: FaultRates,
    rng: ChaCha8Rng,
}

impl FaultInjector {
    pub(crate) fn new(rates: FaultRates, seed: u64) -> Self {
        Self {
            rates,
            rng: ChaCha8Rng::seed_from_u64(seed),
        }
    }

    pub(crate) fn rates(&self) -> &FaultRates {
        &self.rates
    }

    pub(crate) fn set_rates(&mut self, rates: FaultRates) {
        self.rates = rates;
    }

    pub(crate) fn delay(&self) -> Duration {
        Duration::from_millis(self.rates.delay_ms)
    }

    /// Decides whether `fault` happens to this request. A rate of 0 never draws from the
    /// generator, so enabling one fault does not change when the others fire.
    pub(crate) fn roll(&mut self, fault: Fault) -> bool {
        let rate = self.rates.rate(fault);
        if rate <= 0.0 {
            return false;
        }
        if rate >= 1.0 {
            return true;
        }
        self.rng.gen_bool(rate)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roll_zero_rate_never_fires() {
        let mut injector = FaultInjector::new(FaultRates::default(), 7);

        let fired = (0..1000).filter(|_| injector.roll(Fault::Http500)).count();

        assert_eq!(fired, 0);
    }

    #[test]
    fn roll_full_rate_always_fires() {
        let rates = FaultRates {
            wrong_sign: 1.0,
            ..FaultRates::default()
        };
        let mut injector = FaultInjector::new(rates, 7);

        let fired = (0..1000)
            .filter(|_| injector.roll(Fault::WrongSign))
            .count();

        assert_eq!(fired, 1000);
    }

    #[test]
    fn roll_half_rate_fires_about_half() {
        let rates = FaultRates {
            delay: 0.5,
            ..FaultRates::default()
        };
        let mut injector = FaultInjector::new(rates, 7);

        let fired = (0..10_000).filter(|_| injector.roll(Fault::Delay)).count();

        assert!((4500..5500).contains(&fired), "fired {fired} times");
    }

    #[test]
    fn roll_same_seed_same_sequence() {
        let rates = FaultRates {
            http_503: 0.3,
            ..FaultRates::default()
        };
        let mut first = FaultInjector::new(rates.clone(), 99);
        let mut second = FaultInjector::new(rates, 99);

        let a: Vec<bool> = (0..200).map(|_| first.roll(Fault::Http503)).collect();
        let b: Vec<bool> = (0..200).map(|_| second.roll(Fault::Http503)).collect();

        assert_eq!(a, b);
    }

    #[test]
    fn validate_rejects_negative_and_nan() {
        for value in [-0.1, f64::NAN] {
            let rates = FaultRates {
                truncated_body: value,
                ..FaultRates::default()
            };

            let error = rates.validate().unwrap_err();

            assert!(
                matches!(
                    error,
                    ConfigError::Rate {
                        name: "faults.truncated_body",
                        ..
                    }
                ),
                "{error}"
            );
        }
    }
}

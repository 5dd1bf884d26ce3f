//! Download scenarios: what each poll of a tenant returns.
//!
//! A poll returns, in this order: records already sent that the platform repeats (some of them
//! changed when `change_rate` is set), the documented example records on the first poll, newly
//! generated records, and records injected for the next download. Each tenant and download has
//! its own generator seeded from the scenario seed, the appId and the download, so the records
//! do not depend on the order in which the downloads are polled.

mod dictionary;
mod examples;
mod generate;
mod shenzhen;

use std::collections::VecDeque;

use chrono::{DateTime, FixedOffset};
use jb_proto::Method;
use rand::Rng;
use rand::SeedableRng;
use rand::seq::index;
use rand_chacha::ChaCha8Rng;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::config::ScenarioConfig;
use crate::photo::PhotoSigner;

pub(crate) use generate::PHOTO_MARKER;

/// The three downloads the platform offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Feed {
    /// J1 警情信息下载.
    Warnings,
    /// J2 事故信息下载.
    Accidents,
    /// J5 调度信息下载.
    Dispatches,
}

impl Feed {
    /// Returns the feed of a download method, `None` for an upload.
    pub(crate) fn from_method(method: Method) -> Option<Feed> {
        match method {
            Method::WarningInstanceDownload => Some(Feed::Warnings),
            Method::AccidentDownload => Some(Feed::Accidents),
            Method::DispatchInfoDownload => Some(Feed::Dispatches),
            _ => None,
        }
    }

    const ALL: [Feed; 3] = [Feed::Warnings, Feed::Accidents, Feed::Dispatches];

    fn index(self) -> usize {
        match self {
            Feed::Warnings => 0,
            Feed::Accidents => 1,
            Feed::Dispatches => 2,
        }
    }

    fn label(self) -> &'static str {
        match self {
            Feed::Warnings => "warnings",
            Feed::Accidents => "accidents",
            Feed::Dispatches => "dispatches",
        }
    }
}

/// Inputs of a poll that come from outside the scenario.
pub(crate) struct PollContext<'a> {
    /// Poll time in Beijing time.
    pub(crate) now: DateTime<FixedOffset>,
    /// Signer of the photo URLs.
    pub(crate) photos: &'a PhotoSigner,
}

/// The scenario of one tenant.
#[derive(Debug)]
pub(crate) struct TenantScenario {
    insurance_code: String,
    config: ScenarioConfig,
    max_sent: usize,
    streams: [Stream; 3],
}

/// The state of one download of one tenant.
#[derive(Debug)]
struct Stream {
    rng: ChaCha8Rng,
    next_sequence: u64,
    examples_sent: bool,
    sent: VecDeque<Value>,
    injected: VecDeque<Value>,
}

impl TenantScenario {
    pub(crate) fn new(
        app_id: &str,
        insurance_code: &str,
        config: &ScenarioConfig,
        max_sent: usize,
    ) -> Self {
        let streams = Feed::ALL.map(|feed| {
            let mut rng = ChaCha8Rng::from_seed(stream_seed(config.seed, app_id, feed));
            Stream {
                next_sequence: rng.gen_range(1000..5000),
                rng,
                examples_sent: false,
                sent: VecDeque::new(),
                injected: VecDeque::new(),
            }
        });
        Self {
            insurance_code: insurance_code.to_owned(),
            config: config.clone(),
            max_sent: max_sent.max(1),
            streams,
        }
    }

    /// Queues a record for the next poll of `feed`, exactly as given.
    pub(crate) fn inject(&mut self, feed: Feed, record: Value) {
        self.streams[feed.index()].injected.push_back(record);
    }

    /// Returns the records of the next poll of `feed`.
    pub(crate) fn poll(&mut self, feed: Feed, context: &PollContext<'_>) -> Vec<Value> {
        let config = &self.config;
        let stream = &mut self.streams[feed.index()];
        let mut records = Vec::new();

        let repeats = config.repeat_per_poll.min(stream.sent.len());
        let mut picked = index::sample(&mut stream.rng, stream.sent.len(), repeats).into_vec();
        picked.sort_unstable();
        for position in picked {
            let changed = config.change_rate > 0.0 && stream.rng.gen_bool(config.change_rate);
            let mut generator = generate::Generator {
                rng: &mut stream.rng,
                now: context.now,
                insurance_code: &self.insurance_code,
            };
            if let Some(record) = stream.sent.get_mut(position) {
                if changed {
                    generator.change(record);
                }
                records.push(record.clone());
            }
        }

        if config.include_examples && !stream.examples_sent {
            stream.examples_sent = true;
            for record in examples::records(feed) {
                remember(&mut stream.sent, record.clone(), self.max_sent);
                records.push(record);
            }
        }

        for _ in 0..config.new_per_poll {
            let sequence = stream.next_sequence;
            stream.next_sequence += 1;
            let mut generator = generate::Generator {
                rng: &mut stream.rng,
                now: context.now,
                insurance_code: &self.insurance_code,
            };
            let record = match feed {
                Feed::Warnings => generator.warning(sequence),
                Feed::Accidents => generator.accident(sequence),
                Feed::Dispatches => generator.dispatch(sequence),
            };
            remember(&mut stream.sent, record.clone(), self.max_sent);
            records.push(record);
        }

        for record in &mut records {
            sign_photo_urls(record, context, config.photo_ttl_secs);
        }
        records.extend(stream.injected.drain(..));
        tracing::debug!(
            feed = feed.label(),
            records = records.len(),
            "scenario poll"
        );
        records
    }
}

/// Keeps a sent record for later repeats, forgetting the oldest past `capacity`.
fn remember(sent: &mut VecDeque<Value>, record: Value, capacity: usize) {
    while sent.len() >= capacity {
        sent.pop_front();
    }
    sent.push_back(record);
}

/// Replaces each `photoUrl` that contains a photo marker by a URL signed to expire `ttl_secs`
/// after the poll, because the platform issues fresh links with each download.
fn sign_photo_urls(record: &mut Value, context: &PollContext<'_>, ttl_secs: u64) {
    let Some(Value::Array(photos)) = record.get_mut("photoData") else {
        return;
    };
    let ttl = i64::try_from(ttl_secs).unwrap_or(i64::MAX);
    let expires = context.now.timestamp().saturating_add(ttl);
    for photo in photos {
        if let Some(Value::String(url)) = photo.get_mut("photoUrl")
            && let Some(attname) = url.strip_prefix(PHOTO_MARKER)
        {
            *url = context.photos.url(attname, expires);
        }
    }
}

/// Derives the 32-byte seed of one tenant's download from the scenario seed.
fn stream_seed(seed: u64, app_id: &str, feed: Feed) -> [u8; 32] {
    let mut hasher = Sha256::new();
    hasher.update(seed.to_be_bytes());
    hasher.update(app_id.as_bytes());
    hasher.update([0]);
    hasher.update(feed.label().as_bytes());
    hasher.finalize().into()
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use jb_model::{Validate, decode_accidents, decode_dispatches, decode_warnings};

    use super::*;
    use crate::scenario::shenzhen::BOUNDS;

    fn config(seed: u64) -> ScenarioConfig {
        ScenarioConfig {
            seed,
            ..ScenarioConfig::default()
        }
    }

    fn poll_time() -> DateTime<FixedOffset> {
        let beijing = FixedOffset::east_opt(8 * 3600).unwrap();
        beijing.with_ymd_and_hms(2024, 5, 20, 10, 30, 0).unwrap()
    }

    fn poll_all(scenario: &mut TenantScenario, feed: Feed, polls: usize) -> Vec<Vec<Value>> {
        let photos = PhotoSigner::new(1, "http://127.0.0.1:9");
        let context = PollContext {
            now: poll_time(),
            photos: &photos,
        };
        (0..polls).map(|_| scenario.poll(feed, &context)).collect()
    }

    #[test]
    fn poll_same_seed_same_records() {
        for feed in Feed::ALL {
            let mut first = TenantScenario::new("APP1", "CPIC", &config(7), 100);
            let mut second = TenantScenario::new("APP1", "CPIC", &config(7), 100);

            assert_eq!(
                poll_all(&mut first, feed, 4),
                poll_all(&mut second, feed, 4),
                "{feed:?}"
            );
        }
    }

    #[test]
    fn poll_other_seed_or_tenant_differs() {
        let mut base = TenantScenario::new("APP1", "CPIC", &config(7), 100);
        let mut reseeded = TenantScenario::new("APP1", "CPIC", &config(8), 100);
        let mut other_tenant = TenantScenario::new("APP2", "CPIC", &config(7), 100);

        let records = poll_all(&mut base, Feed::Accidents, 1);

        assert_ne!(records, poll_all(&mut reseeded, Feed::Accidents, 1));
        assert_ne!(records, poll_all(&mut other_tenant, Feed::Accidents, 1));
    }

    #[test]
    fn poll_independent_of_feed_order() {
        let mut warnings_first = TenantScenario::new("APP1", "CPIC", &config(3), 100);
        let mut accidents_first = TenantScenario::new("APP1", "CPIC", &config(3), 100);

        poll_all(&mut warnings_first, Feed::Warnings, 1);
        let after_warnings = poll_all(&mut warnings_first, Feed::Accidents, 1);
        let alone = poll_all(&mut accidents_first, Feed::Accidents, 1);

        assert_eq!(after_warnings, alone);
    }

    #[test]
    fn poll_first_returns_examples_once() {
        let mut scenario = TenantScenario::new("APP1", "CPIC", &config(1), 100);

        let polls = poll_all(&mut scenario, Feed::Warnings, 2);

        let example = |records: &Vec<Value>| {
            records
                .iter()
                .filter(|record| record["warningNo"] == "201808100085")
                .count()
        };
        assert_eq!(example(&polls[0]), 1);
        assert_eq!(polls[0].len(), 1 + 3);
        // The second poll repeats two earlier records, which may include the example.
        assert_eq!(polls[1].len(), 2 + 3);
    }

    #[test]
    fn poll_repeats_earlier_records() {
        let mut scenario = TenantScenario::new("APP1", "CPIC", &config(5), 100);

        let polls = poll_all(&mut scenario, Feed::Dispatches, 2);

        let repeated = polls[1]
            .iter()
            .filter(|record| polls[0].contains(record))
            .count();
        assert_eq!(repeated, 2);
    }

    #[test]
    fn poll_change_rate_one_changes_repeats() {
        let scenario_config = ScenarioConfig {
            change_rate: 1.0,
            include_examples: false,
            ..config(5)
        };
        let mut scenario = TenantScenario::new("APP1", "CPIC", &scenario_config, 100);

        let polls = poll_all(&mut scenario, Feed::Warnings, 2);

        for repeat in &polls[1][..2] {
            let original = polls[0]
                .iter()
                .find(|record| record["warningNo"] == repeat["warningNo"])
                .unwrap();
            assert_ne!(original["warningContent"], repeat["warningContent"]);
        }
    }

    #[test]
    fn poll_bounds_records_kept_for_repeats() {
        let mut scenario = TenantScenario::new("APP1", "CPIC", &config(5), 4);

        poll_all(&mut scenario, Feed::Accidents, 5);

        assert_eq!(scenario.streams[Feed::Accidents.index()].sent.len(), 4);
    }

    #[test]
    fn inject_returns_record_once_at_end() {
        let mut scenario = TenantScenario::new("APP1", "CPIC", &config(1), 100);
        let record = serde_json::json!({"reportNo": "INJECTED"});

        scenario.inject(Feed::Dispatches, record.clone());
        let polls = poll_all(&mut scenario, Feed::Dispatches, 2);

        assert_eq!(polls[0].last(), Some(&record));
        assert!(!polls[1].contains(&record));
    }

    #[test]
    fn generated_records_decode_and_validate() {
        let scenario_config = ScenarioConfig {
            include_examples: false,
            new_per_poll: 20,
            ..config(11)
        };
        let mut scenario = TenantScenario::new("APP1", "PAIC", &scenario_config, 1000);

        let warnings = Value::Array(poll_all(&mut scenario, Feed::Warnings, 1).concat());
        let accidents = Value::Array(poll_all(&mut scenario, Feed::Accidents, 1).concat());
        let dispatches = Value::Array(poll_all(&mut scenario, Feed::Dispatches, 1).concat());

        let warnings = decode_warnings(&warnings.to_string()).unwrap();
        assert!(warnings.is_complete(), "{:?}", warnings.failures);
        for decoded in &warnings.records {
            assert_eq!(decoded.record.validate(), [], "{}", decoded.raw);
        }
        let accidents = decode_accidents(&accidents.to_string()).unwrap();
        assert!(accidents.is_complete(), "{:?}", accidents.failures);
        for decoded in &accidents.records {
            assert_eq!(decoded.record.validate(), [], "{}", decoded.raw);
        }
        let dispatches = decode_dispatches(&dispatches.to_string()).unwrap();
        assert!(dispatches.is_complete(), "{:?}", dispatches.failures);
        for decoded in &dispatches.records {
            assert_eq!(decoded.record.validate(), [], "{}", decoded.raw);
        }
    }

    #[test]
    fn generated_accidents_look_like_shenzhen() {
        let scenario_config = ScenarioConfig {
            include_examples: false,
            new_per_poll: 50,
            ..config(13)
        };
        let mut scenario = TenantScenario::new("APP1", "CPIC", &scenario_config, 1000);
        let (south, west, north, east) = BOUNDS;

        let accidents = poll_all(&mut scenario, Feed::Accidents, 1).concat();

        for accident in &accidents {
            let latitude: f64 = accident["accidentPlaceLatitude"]
                .as_str()
                .unwrap()
                .parse()
                .unwrap();
            let longitude: f64 = accident["accidentPlaceLongtitude"]
                .as_str()
                .unwrap()
                .parse()
                .unwrap();
            assert!((south..=north).contains(&latitude), "{latitude}");
            assert!((west..=east).contains(&longitude), "{longitude}");
            assert_eq!(accident["accidentPlaceProvince"], "广东省-深圳市");
            for plate in accident["plateData"].as_array().unwrap() {
                assert!(
                    plate["plateNo"].as_str().unwrap().starts_with('粤'),
                    "{plate}"
                );
            }
        }
        let shenzhen_plates = accidents
            .iter()
            .flat_map(|accident| accident["plateData"].as_array().unwrap())
            .filter(|plate| plate["plateNo"].as_str().unwrap().starts_with("粤B"))
            .count();
        assert!(shenzhen_plates > accidents.len() / 2, "{shenzhen_plates}");
    }

    #[test]
    fn poll_signs_photo_urls_with_expiry() {
        let mut scenario = TenantScenario::new("APP1", "CPIC", &config(1), 100);
        let expiry = poll_time().timestamp() + 86_400;

        let accidents = poll_all(&mut scenario, Feed::Accidents, 1).concat();

        for accident in &accidents {
            for photo in accident["photoData"].as_array().unwrap() {
                let url = photo["photoUrl"].as_str().unwrap();
                assert!(
                    url.starts_with("http://127.0.0.1:9/photos/download?"),
                    "{url}"
                );
                assert!(url.contains(&format!("e={expiry}&")), "{url}");
            }
        }
    }
}

//! Generators of realistic download records as wire JSON.
//!
//! Every value comes from the seeded generator passed in and from the poll time, so the same
//! seed and the same poll times give the same records.

use chrono::{DateTime, Duration, FixedOffset};
use rand::Rng;
use rand::seq::SliceRandom;
use serde_json::{Map, Value, json};

use super::dictionary;
use super::shenzhen::{
    CANCEL_REASONS, DISTRICTS, District, GIVEN_NAMES, MAX_OFFSET_DEGREES, PHONE_PREFIXES,
    PLATE_LETTERS, SURNAMES, VIN_CHARACTERS, WARNING_TEMPLATES,
};

/// Prefix of a `photoUrl` that marks a simulator photo. Each poll replaces it with a signed URL
/// whose expiry is counted from the poll time.
pub(crate) const PHOTO_MARKER: &str = "jb-sim-photo:";

/// Duty proportions (责任占比) of the two vehicles of a multi-vehicle accident.
const DUTY_SPLITS: &[&[&str]] = &[&["100", "0"], &["70", "30"], &["50", "50"]];

/// Generates records for one tenant at one poll time.
pub(super) struct Generator<'a, R: Rng> {
    pub(super) rng: &'a mut R,
    pub(super) now: DateTime<FixedOffset>,
    pub(super) insurance_code: &'a str,
}

impl<R: Rng> Generator<'_, R> {
    /// 警情: a police call record, numbered `sequence` within the day.
    pub(super) fn warning(&mut self, sequence: u64) -> Value {
        let district = self.district();
        let road = self.pick(district.roads);
        let template = self.pick(WARNING_TEMPLATES);
        let time = self.minutes_ago(5, 180);
        let vehicles = self.rng.gen_range(1..=2);
        let plates: Vec<Value> = (0..vehicles)
            .map(|_| {
                let (plate_type, plate_no) = self.plate();
                json!({ "plateType": plate_type, "plateNo": plate_no })
            })
            .collect();
        let alarm_name = if self.rng.gen_bool(0.3) {
            (*self.pick(&["先生", "女士"])).to_owned()
        } else {
            self.person_name()
        };

        json!({
            "warningNo": format!("{}{:04}", time.format("%Y%m%d"), sequence % 10_000),
            "warningContent": template.replace("{road}", road),
            "warningAddress": format!("{}{}{}号附近", district.name, road, self.rng.gen_range(1..=300)),
            "alarmName": alarm_name,
            "alarmPhone": self.phone(),
            "warningTime": time.format("%Y-%m-%d %H:%M").to_string(),
            "plateData": plates,
        })
    }

    /// 事故: a minor accident handled remotely, with vehicles and photos.
    pub(super) fn accident(&mut self, sequence: u64) -> Value {
        let district = self.district();
        let road = self.pick(district.roads);
        let time = self.minutes_ago(10, 240);
        let (latitude, longitude) = self.point_in(district);
        let multi_vehicle = self.rng.gen_bool(0.7);
        let duties: &[&str] = if multi_vehicle {
            self.pick::<&[&str]>(DUTY_SPLITS)
        } else {
            &["100"]
        };

        let plates: Vec<Value> = duties
            .iter()
            .enumerate()
            .map(|(index, duty)| self.accident_plate(index, duty))
            .collect();
        let reporter = plates.first().and_then(|plate| {
            Some((
                plate.get("driverName")?.clone(),
                plate.get("driverPhone")?.clone(),
            ))
        });
        let (reporter_name, reporter_phone) =
            reporter.unwrap_or((json!("先生"), json!(self.phone())));
        let loss_types = if multi_vehicle { "01,02" } else { "01,03" };

        json!({
            "accidentNo": format!("{}{}K{:05}", district.code, time.format("%Y%m%d"), sequence % 100_000),
            "reporterName": reporter_name,
            "reporterPhoneNo": reporter_phone,
            "accidentTime": time.format("%Y-%m-%d %H:%M:%S").to_string(),
            "accidentPlaceProvince": "广东省-深圳市",
            "accidentPlaceDistrict": district.name,
            "accidentAddress": format!("广东省深圳市{}{}", district.name, road),
            "accidentPlaceLatitude": format!("{latitude:.6}"),
            "accidentPlaceLongtitude": format!("{longitude:.6}"),
            "accidentType": if multi_vehicle { "2" } else { "1" },
            "channelTypes": loss_types,
            "accidentCause": self.pick(&dictionary::accident_causes()),
            "isReportOnPort": if self.rng.gen_bool(0.5) { "1" } else { "0" },
            "reportMode": self.pick(&["交警系统", "行业平台"]),
            "plateData": plates,
            "photoData": self.photos(duties.len()),
        })
    }

    /// 调度: a surveyor dispatch for an on-site accident report.
    pub(super) fn dispatch(&mut self, sequence: u64) -> Value {
        let time = self.minutes_ago(1, 90);
        let cancelled = self.rng.gen_bool(0.25);
        let mut record = Map::new();
        record.insert(
            "reportNo".into(),
            json!(format!(
                "R{}{}{:06}",
                self.insurance_code,
                time.format("%Y%m%d"),
                sequence % 1_000_000
            )),
        );
        record.insert(
            "receiveTime".into(),
            json!(time.format("%Y-%m-%d %H:%M:%S").to_string()),
        );
        record.insert(
            "dispatchType".into(),
            json!(self.pick(&["1", "2", "3", "4"])),
        );
        record.insert(
            "taskType".into(),
            json!(if cancelled { "100" } else { "1" }),
        );
        if cancelled {
            record.insert("cancelReason".into(), json!(self.pick(CANCEL_REASONS)));
        }
        record.insert(
            "userId".into(),
            json!(self.rng.gen_range(10_000..100_000).to_string()),
        );
        record.insert("surveyorCo".into(), json!(self.insurance_code));
        record.insert("surveyorName".into(), json!(self.person_name()));
        record.insert("surveyorPhone".into(), json!(self.phone()));
        Value::Object(record)
    }

    /// Changes a record already sent the way the platform updates one between polls, keeping
    /// its natural key.
    pub(super) fn change(&mut self, record: &mut Value) {
        let Some(fields) = record.as_object_mut() else {
            return;
        };

        if let Some(Value::String(content)) = fields.get_mut("warningContent") {
            content.push_str("（已联系当事人）");
        } else if let Some(Value::Array(photos)) = fields.get_mut("photoData") {
            let index = photos.len();
            photos.push(json!({
                "photoType": "05",
                "photoName": format!("其他照片-{index}.png"),
                "photoUrl": format!("{PHOTO_MARKER}{}", random_hex(self.rng)),
            }));
        } else if fields.contains_key("surveyorName") {
            fields.insert("dispatchType".into(), json!("4"));
            fields.insert("surveyorName".into(), json!(self.person_name()));
            fields.insert("surveyorPhone".into(), json!(self.phone()));
        }
    }

    fn accident_plate(&mut self, index: usize, duty: &str) -> Value {
        let (plate_type, plate_no) = self.plate();
        // The first vehicle is insured by the tenant, so the record concerns it.
        let insurer = if index == 0 {
            self.insurance_code.to_owned()
        } else {
            self.pick(&dictionary::insurer_codes()).to_string()
        };
        let insurer_name = dictionary::insurer_name(&insurer).unwrap_or("");

        json!({
            "vinNo": self.vin(),
            "plateType": plate_type,
            "plateNo": plate_no,
            "driverName": self.person_name(),
            "driverPhone": self.phone(),
            "dutyProportion": duty,
            "isNorDriving": if self.rng.gen_bool(0.9) { "1" } else { "0" },
            "liabilityInsuranceName": insurer_name,
            "liabilityInsuranceNo": self.digits(22),
        })
    }

    fn photos(&mut self, vehicles: usize) -> Vec<Value> {
        let mut types = vec!["01", "02", "03", "04", "06", "07"];
        if vehicles > 1 {
            types.extend(["08", "09"]);
        }
        types.push("RR");

        types
            .into_iter()
            .enumerate()
            .map(|(index, code)| {
                let name = dictionary::photo_type_name(code).unwrap_or("照片");
                json!({
                    "photoType": code,
                    "photoName": format!("{name}-{index}.png"),
                    "photoUrl": format!("{PHOTO_MARKER}{}", random_hex(self.rng)),
                })
            })
            .collect()
    }

    /// Returns a plate type and number: mostly Shenzhen (粤B) small cars, some new-energy
    /// plates, some plates from elsewhere in Guangdong.
    fn plate(&mut self) -> (&'static str, String) {
        let region = if self.rng.gen_bool(0.85) {
            'B'
        } else {
            *self.pick(&['A', 'S', 'E', 'L'])
        };

        if self.rng.gen_bool(0.2) {
            let energy = self.pick(&['D', 'F']);
            return ("52", format!("粤{region}{energy}{}", self.digits(5)));
        }

        let tail: String = (0..5)
            .map(|position| {
                if position < 2 && self.rng.gen_bool(0.3) {
                    char::from(*self.pick(PLATE_LETTERS))
                } else {
                    char::from(b'0' + self.rng.gen_range(0..10))
                }
            })
            .collect();
        ("02", format!("粤{region}{tail}"))
    }

    fn vin(&mut self) -> String {
        let tail: String = (0..14)
            .map(|_| char::from(*self.pick(VIN_CHARACTERS)))
            .collect();
        format!("LSV{tail}")
    }

    fn person_name(&mut self) -> String {
        format!("{}{}", self.pick(SURNAMES), self.pick(GIVEN_NAMES))
    }

    fn phone(&mut self) -> String {
        format!("{}{}", self.pick(PHONE_PREFIXES), self.digits(8))
    }

    fn digits(&mut self, count: usize) -> String {
        (0..count)
            .map(|_| char::from(b'0' + self.rng.gen_range(0..10)))
            .collect()
    }

    fn district(&mut self) -> &'static District {
        self.pick(DISTRICTS)
    }

    fn point_in(&mut self, district: &District) -> (f64, f64) {
        let latitude =
            district.latitude + self.rng.gen_range(-MAX_OFFSET_DEGREES..=MAX_OFFSET_DEGREES);
        let longitude =
            district.longitude + self.rng.gen_range(-MAX_OFFSET_DEGREES..=MAX_OFFSET_DEGREES);
        (latitude, longitude)
    }

    fn minutes_ago(&mut self, least: i64, most: i64) -> DateTime<FixedOffset> {
        let minutes = self.rng.gen_range(least..=most);
        let seconds = self.rng.gen_range(0..60);
        self.now - Duration::minutes(minutes) - Duration::seconds(seconds)
    }

    fn pick<'s, T>(&mut self, items: &'s [T]) -> &'s T {
        items.choose(self.rng).expect(
            "every list passed to pick is non-empty: constants and dictionaries checked by tests",
        )
    }
}

/// Returns 32 random lowercase hex digits followed by `.png`: a photo attachment name.
fn random_hex<R: Rng>(rng: &mut R) -> String {
    let bytes: [u8; 16] = rng.r#gen();
    format!("{}.png", hex::encode(bytes))
}

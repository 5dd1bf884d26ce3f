//! Every measured operation, shared by the criterion benchmarks and the instruction-count gate
//! so that both measure exactly the same code.

use std::hint::black_box;

use jb_crypto::{AppKey, DataCipher};
use jb_model::{Claim, Report, Validate};
use jb_proto::{Codec, Expected, Method, RequestEnvelope};
use serde::de::IgnoredAny;

use crate::inputs::{self, ACCIDENT_COUNTS, APP_ID, APP_KEY, PAYLOAD_SIZES, SERIAL_NO, TIME_STAMP};
use crate::raw::{RawCrypto, base64_decode, base64_encode};

/// A measured operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Op {
    /// `sign` over the fields of a J2 request.
    Sign,
    /// `DataCipher::encrypt` of the payload of the given size.
    Encrypt(Size),
    /// `DataCipher::decrypt` of the ciphertext of that payload.
    Decrypt(Size),
    /// SHA-1 alone over the payload.
    RawSha1(Size),
    /// AES-128-ECB encryption alone of the payload.
    RawAesEncrypt(Size),
    /// AES-128-ECB decryption alone of the encrypted payload.
    RawAesDecrypt(Size),
    /// Base64 encoding alone of the encrypted payload.
    RawBase64Encode(Size),
    /// Base64 decoding alone of the encrypted payload's text.
    RawBase64Decode(Size),
    /// Serialize the J3 report to JSON, seal it as a request and write the body.
    SealReport,
    /// The same for the J4 claim.
    SealClaim,
    /// Open a J2 response body of the given number of accidents.
    OpenAccidents(Count),
    /// Validate the J4 claim strictly.
    ValidateClaim,
    /// Serialize the J3 report to JSON: the business JSON's own cost in [`Op::SealReport`].
    SerdeReport,
    /// Serialize the J4 claim to JSON.
    SerdeClaim,
    /// Parse the decrypted J2 data as JSON without keeping it, as opening checks it.
    SerdeAccidents(Count),
    /// The cryptography of [`Op::SealReport`] alone, on the same bytes.
    RawSealReport,
    /// The cryptography of [`Op::SealClaim`] alone.
    RawSealClaim,
    /// The cryptography of [`Op::OpenAccidents`] alone.
    RawOpenAccidents(Count),
    /// Derive the data cipher from an appKey: MD5 and the AES key schedule.
    DeriveCipher,
}

/// Index into [`PAYLOAD_SIZES`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Size(usize);

/// Index into [`ACCIDENT_COUNTS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Count(usize);

impl Op {
    /// Lists every operation, codec first, then the references it is compared with.
    pub fn all() -> Vec<Op> {
        let sizes = || (0..PAYLOAD_SIZES.len()).map(Size);
        let counts = || (0..ACCIDENT_COUNTS.len()).map(Count);
        let mut ops = vec![Op::Sign];
        ops.extend(sizes().map(Op::Encrypt));
        ops.extend(sizes().map(Op::Decrypt));
        ops.extend([Op::SealReport, Op::SealClaim]);
        ops.extend(counts().map(Op::OpenAccidents));
        ops.push(Op::ValidateClaim);
        ops.extend([Op::SerdeReport, Op::SerdeClaim]);
        ops.extend(counts().map(Op::SerdeAccidents));
        ops.extend([Op::RawSealReport, Op::RawSealClaim]);
        ops.extend(counts().map(Op::RawOpenAccidents));
        ops.extend(sizes().map(Op::RawSha1));
        ops.extend(sizes().map(Op::RawAesEncrypt));
        ops.extend(sizes().map(Op::RawAesDecrypt));
        ops.extend(sizes().map(Op::RawBase64Encode));
        ops.extend(sizes().map(Op::RawBase64Decode));
        ops.push(Op::DeriveCipher);
        ops
    }

    /// Finds an operation by its [`Op::name`].
    pub fn from_name(name: &str) -> Option<Op> {
        Op::all().into_iter().find(|op| op.name() == name)
    }

    /// Returns a stable name such as `encrypt/3KB` or `open/j2-100`.
    pub fn name(self) -> String {
        match self {
            Op::Sign => "sign".to_owned(),
            Op::Encrypt(size) => format!("encrypt/{size}"),
            Op::Decrypt(size) => format!("decrypt/{size}"),
            Op::RawSha1(size) => format!("raw/sha1/{size}"),
            Op::RawAesEncrypt(size) => format!("raw/aes-128-ecb-encrypt/{size}"),
            Op::RawAesDecrypt(size) => format!("raw/aes-128-ecb-decrypt/{size}"),
            Op::RawBase64Encode(size) => format!("raw/base64-encode/{size}"),
            Op::RawBase64Decode(size) => format!("raw/base64-decode/{size}"),
            Op::SealReport => "seal/j3-report".to_owned(),
            Op::SealClaim => "seal/j4-claim".to_owned(),
            Op::OpenAccidents(count) => format!("open/j2-{count}"),
            Op::ValidateClaim => "validate/j4-claim".to_owned(),
            Op::SerdeReport => "serde/j3-report".to_owned(),
            Op::SerdeClaim => "serde/j4-claim".to_owned(),
            Op::SerdeAccidents(count) => format!("serde/j2-{count}"),
            Op::RawSealReport => "raw/seal/j3-report".to_owned(),
            Op::RawSealClaim => "raw/seal/j4-claim".to_owned(),
            Op::RawOpenAccidents(count) => format!("raw/open/j2-{count}"),
            Op::DeriveCipher => "derive-cipher".to_owned(),
        }
    }

    /// Returns whether the operation is the codec itself rather than a reference it is compared
    /// with.
    pub fn is_codec(self) -> bool {
        matches!(
            self,
            Op::Sign
                | Op::Encrypt(_)
                | Op::Decrypt(_)
                | Op::SealReport
                | Op::SealClaim
                | Op::OpenAccidents(_)
                | Op::ValidateClaim
        )
    }

    /// Bytes the operation processes, for throughput figures.
    pub fn bytes(self, fixtures: &Fixtures) -> usize {
        match self {
            Op::Sign => fixtures.sign_fields.iter().map(String::len).sum(),
            Op::Encrypt(size)
            | Op::Decrypt(size)
            | Op::RawSha1(size)
            | Op::RawAesEncrypt(size)
            | Op::RawAesDecrypt(size)
            | Op::RawBase64Encode(size)
            | Op::RawBase64Decode(size) => PAYLOAD_SIZES[size.0],
            Op::SealReport | Op::SerdeReport | Op::RawSealReport => fixtures.report_json.len(),
            Op::SealClaim | Op::SerdeClaim | Op::RawSealClaim | Op::ValidateClaim => {
                fixtures.claim_json.len()
            }
            Op::OpenAccidents(count) | Op::SerdeAccidents(count) | Op::RawOpenAccidents(count) => {
                fixtures.accidents[count.0].body.len()
            }
            Op::DeriveCipher => APP_KEY.len(),
        }
    }
}

impl std::fmt::Display for Size {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match PAYLOAD_SIZES[self.0] {
            bytes if bytes >= 1024 => write!(f, "{}KB", bytes / 1024),
            bytes => write!(f, "{bytes}B"),
        }
    }
}

impl std::fmt::Display for Count {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", ACCIDENT_COUNTS[self.0])
    }
}

/// A J2 response and what the references need of it.
#[derive(Debug)]
struct Accidents {
    /// The response body.
    body: Vec<u8>,
    /// Its `data` field.
    data: String,
    /// Its other signed fields.
    header: Vec<String>,
    /// The decrypted data.
    json: String,
}

/// Every input, built once before measuring.
#[derive(Debug)]
pub struct Fixtures {
    codec: Codec,
    raw: RawCrypto,
    request_header: Vec<String>,
    sign_fields: Vec<String>,
    payloads: Vec<Vec<u8>>,
    ciphertexts: Vec<String>,
    aes_ciphertexts: Vec<Vec<u8>>,
    report: Report,
    report_json: String,
    claim: Claim,
    claim_json: String,
    accidents: Vec<Accidents>,
}

impl Fixtures {
    /// Builds every input.
    pub fn new() -> Self {
        let codec = inputs::codec();
        let raw = RawCrypto::new(APP_KEY);

        let payloads: Vec<Vec<u8>> = PAYLOAD_SIZES
            .iter()
            .map(|len| inputs::payload(*len))
            .collect();
        let ciphertexts = payloads
            .iter()
            .map(|payload| codec.cipher().encrypt(payload))
            .collect();
        let aes_ciphertexts = payloads
            .iter()
            .map(|payload| raw.aes_encrypt(payload))
            .collect();

        let request_header: Vec<String> = [
            APP_ID,
            SERIAL_NO,
            TIME_STAMP,
            Method::ReportCaseUpload.wire_name(),
        ]
        .map(str::to_owned)
        .to_vec();
        let sign_request = codec.seal_request(
            Method::AccidentDownload,
            r#"{"insuranceCode":"CPIC"}"#,
            inputs::serial_no(),
            inputs::time_stamp(),
        );
        let sign_fields = sign_request.sign_values().map(str::to_owned).collect();

        let report = inputs::report();
        let claim = inputs::claim();
        let report_json = serde_json::to_string(&report).expect("a report serializes");
        let claim_json = serde_json::to_string(&claim).expect("a claim serializes");
        let accidents = ACCIDENT_COUNTS
            .iter()
            .map(|count| accidents(&codec, *count))
            .collect();

        Self {
            codec,
            raw,
            request_header,
            sign_fields,
            payloads,
            ciphertexts,
            aes_ciphertexts,
            report,
            report_json,
            claim,
            claim_json,
            accidents,
        }
    }

    /// Returns the codec every operation uses.
    pub fn codec(&self) -> &Codec {
        &self.codec
    }

    /// Runs `op` once and returns a size derived from its output, so that no work is skipped.
    pub fn run(&self, op: Op) -> usize {
        black_box(self.run_inner(black_box(op)))
    }

    fn run_inner(&self, op: Op) -> usize {
        match op {
            Op::Sign => jb_crypto::sign(
                self.sign_fields.iter().map(String::as_str),
                self.codec.app_key(),
            )
            .len(),
            Op::Encrypt(size) => self.codec.cipher().encrypt(&self.payloads[size.0]).len(),
            Op::Decrypt(size) => self
                .codec
                .cipher()
                .decrypt(&self.ciphertexts[size.0])
                .map_or(0, |plaintext| plaintext.len()),
            Op::RawSha1(size) => {
                let text = std::str::from_utf8(&self.payloads[size.0]).unwrap_or_default();
                self.raw.sha1(&[text])[0].into()
            }
            Op::RawAesEncrypt(size) => self.raw.aes_encrypt(&self.payloads[size.0]).len(),
            Op::RawAesDecrypt(size) => self
                .raw
                .aes_decrypt(self.aes_ciphertexts[size.0].clone())
                .map_or(0, |plaintext| plaintext.len()),
            Op::RawBase64Encode(size) => base64_encode(&self.aes_ciphertexts[size.0]).len(),
            Op::RawBase64Decode(size) => {
                base64_decode(&self.ciphertexts[size.0]).map_or(0, |bytes| bytes.len())
            }
            Op::SealReport => seal(&self.codec, Method::ReportCaseUpload, &self.report).len(),
            Op::SealClaim => seal(&self.codec, Method::SettleClaimUpload, &self.claim).len(),
            Op::OpenAccidents(count) => self
                .codec
                .open_response(
                    &self.accidents[count.0].body,
                    &self.codec.expected(Method::AccidentDownload),
                )
                .map_or(0, |opened| opened.return_msg.len()),
            Op::ValidateClaim => self.claim.validate().len(),
            Op::SerdeReport => serde_json::to_string(&self.report).map_or(0, |json| json.len()),
            Op::SerdeClaim => serde_json::to_string(&self.claim).map_or(0, |json| json.len()),
            Op::SerdeAccidents(count) => usize::from(
                serde_json::from_str::<IgnoredAny>(&self.accidents[count.0].json).is_ok(),
            ),
            Op::RawSealReport => self.raw_seal(&self.report_json),
            Op::RawSealClaim => self.raw_seal(&self.claim_json),
            Op::RawOpenAccidents(count) => {
                let accidents = &self.accidents[count.0];
                let header: Vec<&str> = accidents.header.iter().map(String::as_str).collect();
                self.raw
                    .open(&header, &accidents.data)
                    .map_or(0, |(_, plaintext)| plaintext.len())
            }
            Op::DeriveCipher => {
                let cipher = DataCipher::new(&AppKey::new(black_box(APP_KEY)));
                black_box(&cipher);
                1
            }
        }
    }

    fn raw_seal(&self, json: &str) -> usize {
        let header: Vec<&str> = self.request_header.iter().map(String::as_str).collect();
        let (data, digest) = self.raw.seal(&header, json.as_bytes());
        data.len() + usize::from(digest[0])
    }
}

impl Default for Fixtures {
    fn default() -> Self {
        Self::new()
    }
}

/// Seals an upload record as the client does: business JSON, then the envelope body.
pub fn seal(codec: &Codec, method: Method, record: &impl serde::Serialize) -> Vec<u8> {
    let json = serde_json::to_string(record).expect("records serialize to JSON");
    let envelope: RequestEnvelope<'static> =
        codec.seal_request(method, &json, inputs::serial_no(), inputs::time_stamp());
    envelope.to_json()
}

fn accidents(codec: &Codec, count: usize) -> Accidents {
    let body = inputs::accident_response(codec, count);
    let envelope = jb_proto::ResponseEnvelope::from_json(&body)
        .expect("a sealed response parses")
        .into_owned();
    let header = envelope
        .sign_values()
        .filter(|value| *value != envelope.data)
        .map(str::to_owned)
        .collect();
    let json = codec
        .open_response(&body, &Expected::default())
        .ok()
        .and_then(|opened| match opened.data {
            jb_proto::ResponseData::Download(json) => Some(json),
            _ => None,
        })
        .expect("a sealed J2 response opens to its data");
    Accidents {
        data: envelope.data.into_owned(),
        header,
        json,
        body,
    }
}

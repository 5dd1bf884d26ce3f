//! Client of the Shenzhen police-insurance platform (深圳市警保信息共享平台): download police
//! calls, accidents and dispatches, upload claim reports and settled claims, fetch accident
//! photos.
//!
//! This crate is a thin facade. [`Client`] composes the lower crates, which it re-exports so
//! that one dependency is enough:
//!
//! - [`crypto`] (`jb-crypto`): the appKey type, sign and data cipher.
//! - [`proto`] (`jb-proto`): envelopes, sealing and opening, serialNo and timeStamp.
//! - [`model`] (`jb-model`): record types, dictionaries, validation, masking of personal data.
//! - [`transport`] (`jb-transport`): the HTTP transport, retries, TLS, proxies, photos.
//!
//! Downloads return every record: decoded ones, and the ones that failed with their raw JSON.
//! A download retried after a network failure is sealed afresh for each attempt, with a new
//! serialNo and the current timeStamp; an upload's retry re-sends the same envelope, for the
//! reasons given on [`transport::RetryPolicy`].
//! Uploads are validated before anything is sent. A platform error code becomes
//! [`Error::Platform`] with its returnCode and returnMsg; a response whose sign does not verify
//! becomes [`Error::Response`], never data.
//!
//! ```
//! use jingbao::{Client, crypto::AppKey};
//!
//! # const PAYLOAD: &str = r#"[{"warningNo":"W20240301001","warningContent":"两车刮碰，无人受伤","warningAddress":"福田区深南大道1号","alarmName":"王五","alarmPhone":"13700001111","warningTime":"2024-03-01 09:15","plateData":[{"plateType":"02","plateNo":"粤B0A001"}]}]"#;
//! # use axum::{Router, body::Bytes, routing::post};
//! # use jingbao::proto::{Codec, ResponsePayload, SerialNo, TimeStamp};
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # // A stand-in platform on a free local port: it opens each request and returns PAYLOAD
//! # // for a download or SUCCESS for an upload.
//! # let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
//! # let gateway = format!("http://{}/gateway.do", listener.local_addr()?);
//! # let platform = Codec::new("APP0001", AppKey::new("my-app-key"));
//! # let answer = move |body: Bytes| {
//! #     let platform = platform.clone();
//! #     async move {
//! #         let request = platform.open_request(&body, &Default::default()).expect("valid request");
//! #         let data = if request.method.is_upload() { "SUCCESS" } else { PAYLOAD };
//! #         let response = platform.seal_response(request.method, SerialNo::generate(),
//! #             TimeStamp::now(), "0000", "成功", ResponsePayload::Encrypt(data));
//! #         response.to_json()
//! #     }
//! # };
//! # let router = Router::new().route("/gateway.do", post(answer));
//! # tokio::spawn(async move { axum::serve(listener, router).await });
//! let client = Client::builder()
//!     .endpoint(gateway.parse()?)
//!     .app_id("APP0001")
//!     .app_key(AppKey::new("my-app-key"))
//!     .insurance_code("CPIC")
//! #   .http(jingbao::transport::HttpConfig::default().proxy(jingbao::transport::ProxyConfig::Disabled))
//!     .build()?;
//!
//! let batch = client.download_warnings().await?;
//! for warning in &batch.records {
//!     println!("{} at {}", warning.record.warning_no, warning.record.warning_address);
//! }
//! for failure in &batch.failures {
//!     eprintln!("record {} kept aside: {}", failure.index, failure.reason);
//! }
//! # assert_eq!(batch.records.len(), 1);
//! # Ok(())
//! # }
//! ```

mod builder;
mod call;
mod client;
mod error;
mod resealer;
mod sealed;

pub use jb_crypto as crypto;
pub use jb_model as model;
pub use jb_proto as proto;
pub use jb_transport as transport;

pub use crate::builder::ClientBuilder;
pub use crate::client::Client;
pub use crate::error::{BuildError, Error};
pub use crate::sealed::{SealedRequest, UploadReceipt};

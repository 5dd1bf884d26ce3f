//! `Client`: one typed method per platform operation.

use std::path::Path;
use std::sync::Arc;

use jb_model::{
    Accident, Batch, Claim, Dispatch, Download, DownloadRequest, Insurer, Report, Upload, Warning,
    decode_batch, mask,
};
use jb_proto::{Codec, Method, OpenedResponse, ResponseData, SerialNo, SerialNoGenerator};
use jb_transport::{HttpTransport, Photo, PhotoDownloader, PhotoError, Transport};
use tokio::io::AsyncWrite;

use crate::builder::ClientBuilder;
use crate::call::{Envelope, call};
use crate::error::Error;
use crate::resealer::{self, Resealer};
use crate::sealed::{SealedRequest, UploadReceipt};

/// A client of the platform for one insurer: its appId, appKey and insurer code, a
/// [`Transport`] to the gateway and a [`PhotoDownloader`].
///
/// Each method makes one platform call inside a `platform_call` span (method, serial_no,
/// attempt, duration_ms, outcome); `serial_no` is that of the last attempt, and each attempt
/// runs in its own `gateway_attempt` span with its own serialNo. A download seals a new
/// envelope, under a new serialNo, for every attempt; an upload re-sends one envelope. The appKey is never logged, and personal data in log lines
/// is masked. Uploads are validated first: a record that breaks a rule returns
/// [`Error::InvalidRecord`] and nothing is sent.
#[derive(Debug)]
pub struct Client<T = HttpTransport> {
    codec: Arc<Codec>,
    download_request: String,
    transport: T,
    photos: PhotoDownloader,
    serial_numbers: Arc<SerialNoGenerator>,
}

impl Client<HttpTransport> {
    /// Starts a builder; see [`ClientBuilder`] for the settings and their defaults.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }
}

impl<T: Transport> Client<T> {
    pub(crate) fn from_parts(
        codec: Codec,
        insurer: Insurer,
        transport: T,
        photos: PhotoDownloader,
        serial_numbers: SerialNoGenerator,
    ) -> Self {
        let request = DownloadRequest::new(insurer);
        // A struct of one string field always serializes; the fallback is never used.
        let download_request = serde_json::to_string(&request).unwrap_or_default();
        Self {
            codec: Arc::new(codec),
            download_request,
            transport,
            photos,
            serial_numbers: Arc::new(serial_numbers),
        }
    }

    /// Downloads police call records (J1 `warningInstanceDownload`, 警情信息下载).
    ///
    /// Returns every record of the response: those that decoded, each with the rules it breaks,
    /// and those that did not, each with its raw JSON and the reason. A record that fails to
    /// decode is logged at warn level and never costs the rest of the batch.
    ///
    /// ```
    /// use jingbao::{Client, crypto::AppKey};
    ///
    /// # const PAYLOAD: &str = r#"[{"warningNo":"W20240301001","warningContent":"两车刮碰，无人受伤","warningAddress":"福田区深南大道1号","alarmName":"王五","alarmPhone":"13700001111","warningTime":"2024-03-01 09:15","plateData":[{"plateType":"02","plateNo":"粤B0A001"}]}]"#;
    /// # use axum::{Router, body::Bytes, routing::post};
    /// # use jingbao::proto::{Codec, ResponsePayload, SerialNo, TimeStamp};
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # // A stand-in platform on a free local port: it opens each request and returns PAYLOAD
    /// # // for a download or SUCCESS for an upload.
    /// # let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    /// # let gateway = format!("http://{}/gateway.do", listener.local_addr()?);
    /// # let platform = Codec::new("APP0001", AppKey::new("my-app-key"));
    /// # let answer = move |body: Bytes| {
    /// #     let platform = platform.clone();
    /// #     async move {
    /// #         let request = platform.open_request(&body, &Default::default()).expect("valid request");
    /// #         let data = if request.method.is_upload() { "SUCCESS" } else { PAYLOAD };
    /// #         let response = platform.seal_response(request.method, SerialNo::generate(),
    /// #             TimeStamp::now(), "0000", "成功", ResponsePayload::Encrypt(data));
    /// #         response.to_json()
    /// #     }
    /// # };
    /// # let router = Router::new().route("/gateway.do", post(answer));
    /// # tokio::spawn(async move { axum::serve(listener, router).await });
    /// let client = Client::builder()
    ///     .endpoint(gateway.parse()?)
    ///     .app_id("APP0001")
    ///     .app_key(AppKey::new("my-app-key"))
    ///     .insurance_code("CPIC")
    /// #   .http(jingbao::transport::HttpConfig::default().proxy(jingbao::transport::ProxyConfig::Disabled))
    ///     .build()?;
    ///
    /// let batch = client.download_warnings().await?;
    /// for warning in &batch.records {
    ///     println!("{} at {}", warning.record.warning_no, warning.record.warning_address);
    /// }
    /// for failure in &batch.failures {
    ///     eprintln!("record {} kept aside: {}", failure.index, failure.reason);
    /// }
    /// # assert_eq!(batch.records.len(), 1);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn download_warnings(&self) -> Result<Batch<Warning>, Error> {
        self.download(Method::WarningInstanceDownload).await
    }

    /// Downloads minor accidents handled remotely (J2 `accidentDownload`, 事故信息下载).
    ///
    /// The records link to photos whose URLs expire; fetch them with
    /// [`download_photo`](Self::download_photo) soon after the download.
    ///
    /// ```
    /// use jingbao::{Client, crypto::AppKey};
    ///
    /// # const PAYLOAD: &str = r#"[{"accidentNo":"A20240301001","reporterName":"王五","reporterPhoneNo":"13700001111","accidentTime":"2024-03-01 09:10:00","accidentPlaceProvince":"广东省-深圳市","accidentPlaceDistrict":"福田区","accidentAddress":"深南大道1号","accidentPlaceLatitude":"22.54","accidentPlaceLongtitude":"114.05","accidentType":"1","plateData":[{"plateType":"02","plateNo":"粤B0A001","driverName":"王五","driverPhone":"13700001111","isNorDriving":"1"}],"photoData":[{"photoType":"01","photoName":"现场.jpg","photoUrl":"https://photos.example.invalid/1.jpg?e=1"}]}]"#;
    /// # use axum::{Router, body::Bytes, routing::post};
    /// # use jingbao::proto::{Codec, ResponsePayload, SerialNo, TimeStamp};
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # // A stand-in platform on a free local port: it opens each request and returns PAYLOAD
    /// # // for a download or SUCCESS for an upload.
    /// # let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    /// # let gateway = format!("http://{}/gateway.do", listener.local_addr()?);
    /// # let platform = Codec::new("APP0001", AppKey::new("my-app-key"));
    /// # let answer = move |body: Bytes| {
    /// #     let platform = platform.clone();
    /// #     async move {
    /// #         let request = platform.open_request(&body, &Default::default()).expect("valid request");
    /// #         let data = if request.method.is_upload() { "SUCCESS" } else { PAYLOAD };
    /// #         let response = platform.seal_response(request.method, SerialNo::generate(),
    /// #             TimeStamp::now(), "0000", "成功", ResponsePayload::Encrypt(data));
    /// #         response.to_json()
    /// #     }
    /// # };
    /// # let router = Router::new().route("/gateway.do", post(answer));
    /// # tokio::spawn(async move { axum::serve(listener, router).await });
    /// let client = Client::builder()
    ///     .endpoint(gateway.parse()?)
    ///     .app_id("APP0001")
    ///     .app_key(AppKey::new("my-app-key"))
    ///     .insurance_code("CPIC")
    /// #   .http(jingbao::transport::HttpConfig::default().proxy(jingbao::transport::ProxyConfig::Disabled))
    ///     .build()?;
    ///
    /// let batch = client.download_accidents().await?;
    /// let accident = &batch.records[0].record;
    /// assert_eq!(accident.accident_no, "A20240301001");
    /// let photo_urls: Vec<&str> = accident.photo_data.iter().map(|photo| photo.photo_url.as_str()).collect();
    /// # assert_eq!(photo_urls.len(), 1);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn download_accidents(&self) -> Result<Batch<Accident>, Error> {
        self.download(Method::AccidentDownload).await
    }

    /// Downloads survey dispatch records (J5 `dispatchInfoDownload`, 调度信息下载).
    ///
    /// ```
    /// use jingbao::{Client, crypto::AppKey};
    ///
    /// # const PAYLOAD: &str = r#"[{"reportNo":"R20240301001","receiveTime":"2024-03-01 09:30:00","dispatchType":"2","taskType":"1","userId":"S001","surveyorCo":"CPIC","surveyorName":"赵六","surveyorPhone":"13800002222"}]"#;
    /// # use axum::{Router, body::Bytes, routing::post};
    /// # use jingbao::proto::{Codec, ResponsePayload, SerialNo, TimeStamp};
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # // A stand-in platform on a free local port: it opens each request and returns PAYLOAD
    /// # // for a download or SUCCESS for an upload.
    /// # let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    /// # let gateway = format!("http://{}/gateway.do", listener.local_addr()?);
    /// # let platform = Codec::new("APP0001", AppKey::new("my-app-key"));
    /// # let answer = move |body: Bytes| {
    /// #     let platform = platform.clone();
    /// #     async move {
    /// #         let request = platform.open_request(&body, &Default::default()).expect("valid request");
    /// #         let data = if request.method.is_upload() { "SUCCESS" } else { PAYLOAD };
    /// #         let response = platform.seal_response(request.method, SerialNo::generate(),
    /// #             TimeStamp::now(), "0000", "成功", ResponsePayload::Encrypt(data));
    /// #         response.to_json()
    /// #     }
    /// # };
    /// # let router = Router::new().route("/gateway.do", post(answer));
    /// # tokio::spawn(async move { axum::serve(listener, router).await });
    /// let client = Client::builder()
    ///     .endpoint(gateway.parse()?)
    ///     .app_id("APP0001")
    ///     .app_key(AppKey::new("my-app-key"))
    ///     .insurance_code("CPIC")
    /// #   .http(jingbao::transport::HttpConfig::default().proxy(jingbao::transport::ProxyConfig::Disabled))
    ///     .build()?;
    ///
    /// let batch = client.download_dispatches().await?;
    /// assert!(batch.is_complete());
    /// assert_eq!(batch.records[0].record.report_no, "R20240301001");
    /// # Ok(())
    /// # }
    /// ```
    pub async fn download_dispatches(&self) -> Result<Batch<Dispatch>, Error> {
        self.download(Method::DispatchInfoDownload).await
    }

    /// Validates and uploads a claim report (J3 `reportCaseUpload`, 报案信息上传).
    ///
    /// Returns the receipt when the platform returns `SUCCESS`, [`Error::UploadRejected`]
    /// when it returns `FAIL`, and [`Error::InvalidRecord`] without sending anything when the
    /// report breaks a field rule.
    ///
    /// ```
    /// use jingbao::{Client, crypto::AppKey, model::Report};
    ///
    /// # const PAYLOAD: &str = r#"[]"#;
    /// # use axum::{Router, body::Bytes, routing::post};
    /// # use jingbao::proto::{Codec, ResponsePayload, SerialNo, TimeStamp};
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # // A stand-in platform on a free local port: it opens each request and returns PAYLOAD
    /// # // for a download or SUCCESS for an upload.
    /// # let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    /// # let gateway = format!("http://{}/gateway.do", listener.local_addr()?);
    /// # let platform = Codec::new("APP0001", AppKey::new("my-app-key"));
    /// # let answer = move |body: Bytes| {
    /// #     let platform = platform.clone();
    /// #     async move {
    /// #         let request = platform.open_request(&body, &Default::default()).expect("valid request");
    /// #         let data = if request.method.is_upload() { "SUCCESS" } else { PAYLOAD };
    /// #         let response = platform.seal_response(request.method, SerialNo::generate(),
    /// #             TimeStamp::now(), "0000", "成功", ResponsePayload::Encrypt(data));
    /// #         response.to_json()
    /// #     }
    /// # };
    /// # let router = Router::new().route("/gateway.do", post(answer));
    /// # tokio::spawn(async move { axum::serve(listener, router).await });
    /// let client = Client::builder()
    ///     .endpoint(gateway.parse()?)
    ///     .app_id("APP0001")
    ///     .app_key(AppKey::new("my-app-key"))
    ///     .insurance_code("CPIC")
    /// #   .http(jingbao::transport::HttpConfig::default().proxy(jingbao::transport::ProxyConfig::Disabled))
    ///     .build()?;
    /// let report: Report = serde_json::from_str(r#"{
    ///     "reportNo": "R20240301001", "reportContent": "两车刮碰，无人受伤",
    ///     "reportAddress": "福田区深南大道1号", "insuranceCode": "CPIC",
    ///     "alarmName": "王五", "alarmPhone": "13700001111", "reportTime": "2024-03-01 09:20",
    ///     "isInjured": "N", "isLocalSurvey": "Y", "isCarDriving": "Y",
    ///     "surveyProvince": "广东省", "surveyCity": "深圳市", "surveyArea": "福田区",
    ///     "surveyAddress": "深南大道1号", "surveyCoordinateSystem": "1",
    ///     "surveyLongitude": "114.05", "surveyLatitude": "22.54",
    ///     "plateData": [{"plateType": "02", "plateNo": "粤B0A001"}]
    /// }"#)?;
    ///
    /// let receipt = client.upload_report(&report).await?;
    /// println!("accepted as {}", receipt.serial_no);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn upload_report(&self, report: &Report) -> Result<UploadReceipt, Error> {
        let sealed = self.seal_report(report)?;
        self.send_upload(&sealed).await
    }

    /// Validates and uploads a settled claim (J4 `settleClaimUpload`, 理赔信息上传).
    ///
    /// Validation includes the rule that `payAmout` equals the exact sum of every
    /// `payUnitAcount`. Results are as for [`upload_report`](Self::upload_report).
    ///
    /// ```
    /// use jingbao::{Client, crypto::AppKey, model::Claim};
    ///
    /// # const PAYLOAD: &str = r#"[]"#;
    /// # use axum::{Router, body::Bytes, routing::post};
    /// # use jingbao::proto::{Codec, ResponsePayload, SerialNo, TimeStamp};
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # // A stand-in platform on a free local port: it opens each request and returns PAYLOAD
    /// # // for a download or SUCCESS for an upload.
    /// # let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    /// # let gateway = format!("http://{}/gateway.do", listener.local_addr()?);
    /// # let platform = Codec::new("APP0001", AppKey::new("my-app-key"));
    /// # let answer = move |body: Bytes| {
    /// #     let platform = platform.clone();
    /// #     async move {
    /// #         let request = platform.open_request(&body, &Default::default()).expect("valid request");
    /// #         let data = if request.method.is_upload() { "SUCCESS" } else { PAYLOAD };
    /// #         let response = platform.seal_response(request.method, SerialNo::generate(),
    /// #             TimeStamp::now(), "0000", "成功", ResponsePayload::Encrypt(data));
    /// #         response.to_json()
    /// #     }
    /// # };
    /// # let router = Router::new().route("/gateway.do", post(answer));
    /// # tokio::spawn(async move { axum::serve(listener, router).await });
    /// let client = Client::builder()
    ///     .endpoint(gateway.parse()?)
    ///     .app_id("APP0001")
    ///     .app_key(AppKey::new("my-app-key"))
    ///     .insurance_code("CPIC")
    /// #   .http(jingbao::transport::HttpConfig::default().proxy(jingbao::transport::ProxyConfig::Disabled))
    ///     .build()?;
    /// let claim: Claim = serde_json::from_str(r#"{
    ///     "insuranceCode": "CPIC", "claimNo": "C20240301001", "policyNo": "P20240001",
    ///     "insuranceType": "1", "warningNo": "R20240301001",
    ///     "plateData": [{"plateType": "02", "plateNo": "粤B0A001", "driverName": "王五",
    ///         "driverPhone": "13700001111", "garage": "福田修理厂", "fixedAmount": "800.00",
    ///         "dutyProportion": "100"}],
    ///     "payAmout": "800.00",
    ///     "payData": [{"payNumber": "PN001", "bankName": "招商银行福田支行",
    ///         "payeeNo": "6225880000001234", "payeeName": "王五", "payUnitAcount": "800.00",
    ///         "payTime": "2024-03-05"}]
    /// }"#)?;
    ///
    /// let receipt = client.upload_claim(&claim).await?;
    /// assert_eq!(receipt.return_msg, "成功");
    /// # Ok(())
    /// # }
    /// ```
    pub async fn upload_claim(&self, claim: &Claim) -> Result<UploadReceipt, Error> {
        let sealed = self.seal_claim(claim)?;
        self.send_upload(&sealed).await
    }

    /// Validates a report and seals it into an envelope with a fresh serialNo, without
    /// sending it.
    ///
    /// ```
    /// use jingbao::{Client, crypto::AppKey, model::Report};
    ///
    /// # const PAYLOAD: &str = r#"[]"#;
    /// # use axum::{Router, body::Bytes, routing::post};
    /// # use jingbao::proto::{Codec, ResponsePayload, SerialNo, TimeStamp};
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # // A stand-in platform on a free local port: it opens each request and returns PAYLOAD
    /// # // for a download or SUCCESS for an upload.
    /// # let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    /// # let gateway = format!("http://{}/gateway.do", listener.local_addr()?);
    /// # let platform = Codec::new("APP0001", AppKey::new("my-app-key"));
    /// # let answer = move |body: Bytes| {
    /// #     let platform = platform.clone();
    /// #     async move {
    /// #         let request = platform.open_request(&body, &Default::default()).expect("valid request");
    /// #         let data = if request.method.is_upload() { "SUCCESS" } else { PAYLOAD };
    /// #         let response = platform.seal_response(request.method, SerialNo::generate(),
    /// #             TimeStamp::now(), "0000", "成功", ResponsePayload::Encrypt(data));
    /// #         response.to_json()
    /// #     }
    /// # };
    /// # let router = Router::new().route("/gateway.do", post(answer));
    /// # tokio::spawn(async move { axum::serve(listener, router).await });
    /// let client = Client::builder()
    ///     .endpoint(gateway.parse()?)
    ///     .app_id("APP0001")
    ///     .app_key(AppKey::new("my-app-key"))
    ///     .insurance_code("CPIC")
    /// #   .http(jingbao::transport::HttpConfig::default().proxy(jingbao::transport::ProxyConfig::Disabled))
    ///     .build()?;
    /// let report: Report = serde_json::from_str(r#"{
    ///     "reportNo": "R20240301001", "reportContent": "两车刮碰，无人受伤",
    ///     "reportAddress": "福田区深南大道1号", "insuranceCode": "CPIC",
    ///     "alarmName": "王五", "alarmPhone": "13700001111", "reportTime": "2024-03-01 09:20",
    ///     "isInjured": "N", "isLocalSurvey": "Y", "isCarDriving": "Y",
    ///     "surveyProvince": "广东省", "surveyCity": "深圳市", "surveyArea": "福田区",
    ///     "surveyAddress": "深南大道1号", "surveyCoordinateSystem": "1",
    ///     "surveyLongitude": "114.05", "surveyLatitude": "22.54",
    ///     "plateData": [{"plateType": "02", "plateNo": "粤B0A001"}]
    /// }"#)?;
    ///
    /// // Seal once, store the envelope, and send it; a re-send repeats the same serialNo.
    /// let sealed = client.seal_report(&report)?;
    /// let receipt = client.send_upload(&sealed).await?;
    /// assert_eq!(&receipt.serial_no, sealed.serial_no());
    /// # Ok(())
    /// # }
    /// ```
    pub fn seal_report(&self, report: &Report) -> Result<SealedRequest, Error> {
        self.seal_upload(Method::ReportCaseUpload, report)
    }

    /// Validates a claim and seals it into an envelope with a fresh serialNo, without sending
    /// it. See [`seal_report`](Self::seal_report).
    pub fn seal_claim(&self, claim: &Claim) -> Result<SealedRequest, Error> {
        self.seal_upload(Method::SettleClaimUpload, claim)
    }

    /// Sends an upload sealed by [`seal_report`](Self::seal_report) or
    /// [`seal_claim`](Self::seal_claim), now or later. Sending it again repeats its serialNo.
    pub async fn send_upload(&self, sealed: &SealedRequest) -> Result<UploadReceipt, Error> {
        let method = sealed.method();
        call(
            &self.transport,
            &self.codec,
            Envelope::Fixed(sealed),
            move |opened: OpenedResponse, serial_no: &SerialNo| match opened.data {
                ResponseData::UploadAccepted { .. } => Ok(UploadReceipt {
                    method,
                    serial_no: serial_no.clone(),
                    return_msg: opened.return_msg,
                }),
                _ => Err(Error::Response {
                    method,
                    serial_no: serial_no.clone(),
                    source: jb_proto::OpenError::UnexpectedUploadResult {
                        value: "download data in an upload response".to_owned(),
                    },
                }),
            },
        )
        .await
    }

    /// Downloads an accident photo into the file at `path`; see
    /// [`PhotoDownloader::download_to_file`].
    ///
    /// An expired link (its `e` parameter lies in the past) fails without any request:
    ///
    /// ```
    /// use jingbao::{Client, crypto::AppKey, transport::{Endpoint, PhotoError}};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let client = Client::builder()
    ///     .endpoint(Endpoint::test())
    ///     .app_id("APP0001")
    ///     .app_key(AppKey::new("my-app-key"))
    ///     .insurance_code("CPIC")
    ///     .build()?;
    ///
    /// let directory = tempfile::tempdir()?;
    /// let url = "https://photos.example.invalid/A20240301001/1.jpg?e=1709251200";
    /// let result = client.download_photo(url, directory.path().join("1.jpg")).await;
    /// assert!(matches!(result, Err(PhotoError::Expired { .. })));
    /// # Ok(())
    /// # }
    /// ```
    pub async fn download_photo(
        &self,
        url: &str,
        path: impl AsRef<Path>,
    ) -> Result<Photo, PhotoError> {
        self.photos.download_to_file(url, path).await
    }

    /// Streams an accident photo into `writer`; see [`PhotoDownloader::download_to_writer`].
    pub async fn download_photo_to_writer<W>(
        &self,
        url: &str,
        writer: &mut W,
    ) -> Result<Photo, PhotoError>
    where
        W: AsyncWrite + Unpin + Send + ?Sized,
    {
        self.photos.download_to_writer(url, writer).await
    }

    /// The photo downloader, for settings this facade does not pass through.
    pub fn photos(&self) -> &PhotoDownloader {
        &self.photos
    }

    /// The codec, for callers that seal or open envelopes themselves.
    pub fn codec(&self) -> &Codec {
        &self.codec
    }

    /// Downloads under a new serialNo per attempt, because the platform rejects an envelope
    /// whose serialNo it has already seen. A download is safe to repeat.
    async fn download<D: Download>(&self, method: Method) -> Result<Batch<D>, Error> {
        let resealer = Resealer::new(
            Arc::clone(&self.codec),
            Arc::clone(&self.serial_numbers),
            method,
            &self.download_request,
        );
        call(
            &self.transport,
            &self.codec,
            Envelope::Fresh(resealer),
            |opened: OpenedResponse, serial_no: &SerialNo| {
                let ResponseData::Download(text) = opened.data else {
                    return Err(Error::Response {
                        method,
                        serial_no: serial_no.clone(),
                        source: jb_proto::OpenError::UnexpectedUploadResult {
                            value: "an upload result in a download response".to_owned(),
                        },
                    });
                };
                let batch = decode_batch::<D>(&text).map_err(|source| Error::Decode {
                    method,
                    serial_no: serial_no.clone(),
                    source,
                })?;
                for failure in &batch.failures {
                    tracing::warn!(
                        method = %method,
                        serial_no = %serial_no,
                        index = failure.index,
                        reason = %mask::free_text(&failure.reason),
                        "record failed to decode; kept with its raw JSON"
                    );
                }
                Ok(batch)
            },
        )
        .await
    }

    fn seal_upload<R: Upload>(&self, method: Method, record: &R) -> Result<SealedRequest, Error> {
        if let Err(source) = record.ensure_valid() {
            tracing::warn!(
                method = %method,
                violations = source.violations.len(),
                detail = %source,
                "record is invalid; not sent"
            );
            return Err(Error::InvalidRecord { method, source });
        }
        let data =
            serde_json::to_string(record).map_err(|source| Error::Encode { method, source })?;
        Ok(self.seal(method, &data))
    }

    fn seal(&self, method: Method, data_json: &str) -> SealedRequest {
        resealer::seal(&self.codec, &self.serial_numbers, method, data_json)
    }
}

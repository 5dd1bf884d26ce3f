//! `jb demo`: the main job end to end on this machine. It starts the platform simulator on
//! 127.0.0.1 with a throwaway tenant, runs two sync cycles into a fresh data directory, sends
//! the platform's example report and claim through the outbox, and prints what happened.

use std::path::{Path, PathBuf};
use std::time::Duration;

use jb_sim::{RunningSimulator, Simulator, Tenant};
use jb_sync::{Backoff, CycleReport, JingbaoPlatform, Operation, SyncService};
use jingbao::Client;
use jingbao::model::{Claim, Report, Rule, Validate};
use jingbao::transport::{HttpConfig, ProxyConfig, RetryPolicy};

use crate::commands::sync::start_logging;
use crate::commands::sync_common::{cycle_summary, operation_name, runtime, store_failure};
use crate::failure::Failure;
use crate::i18n::Lang;

/// The platform's example report (J3), as jb-model keeps it.
const EXAMPLE_REPORT: &str = include_str!("../../../jb-model/tests/data/j3-report.json");
/// The platform's example claim (J4) exactly as published: its payAmout is not the sum of its
/// payments.
const EXAMPLE_CLAIM: &str =
    include_str!("../../../jb-model/tests/data/j4-claim-example-sum-mismatch.json");
/// The same claim with payAmout equal to the sum of its payments.
const CORRECTED_CLAIM: &str =
    include_str!("../../../jb-model/tests/data/j4-claim-corrected-total.json");

/// The example records name this insurer, so the throwaway tenant uses it too.
const INSURER: &str = "CPIC";

/// Arguments of `jb demo`.
#[derive(Debug, clap::Args)]
pub(crate) struct DemoArgs {
    /// Data directory to fill; it must be missing or empty (default: a new directory in the system's temporary directory, kept afterwards)
    #[arg(long, value_name = "DIR")]
    pub(crate) data_dir: Option<PathBuf>,
}

/// Runs the demonstration; exits 0 only when every step succeeded.
pub(crate) fn run(args: &DemoArgs, lang: Lang) -> Result<(), Failure> {
    let data_dir = fresh_data_dir(args.data_dir.as_deref(), lang)?;
    // The demonstration prints its own account of each step, so only warnings are logged.
    let progress = start_logging(lang, true, "warn");
    runtime(lang)?.block_on(async move {
        let tenant = Tenant::generate(INSURER);
        let simulator = Simulator::builder()
            .tenant(tenant.clone())
            .bind("127.0.0.1:0")
            .await
            .map_err(|error| {
                Failure::rejected(lang.pick(
                    format!("模拟平台启动失败：{error}"),
                    format!("the simulator failed to start: {error}"),
                ))
            })?;
        let result = demo(&simulator, &tenant, &data_dir, progress, lang).await;
        simulator.shutdown().await;
        result
    })
}

async fn demo(
    simulator: &RunningSimulator,
    tenant: &Tenant,
    data_dir: &Path,
    progress: std::sync::Arc<dyn jb_sync::Progress>,
    lang: Lang,
) -> Result<(), Failure> {
    println!(
        "{}",
        lang.pick(
            format!(
                "1. 模拟平台已在 {} 启动，临时租户 appId {}，保险公司代码 {INSURER}",
                simulator.gateway_url(),
                tenant.app_id()
            ),
            format!(
                "1. simulator started at {} with the throwaway tenant appId {}, insurer code {INSURER}",
                simulator.gateway_url(),
                tenant.app_id()
            ),
        )
    );

    let platform = JingbaoPlatform::new(client(simulator, tenant, lang)?);
    let mut service = SyncService::builder(platform, data_dir)
        .upload_backoff(Backoff {
            initial: Duration::from_millis(200),
            max: Duration::from_secs(1),
        })
        .progress(progress)
        .build()
        .await
        .map_err(|error| store_failure(lang, &error))?;

    let mut ok = true;
    let mut cycles = Vec::new();
    for step in 2..=3 {
        let report = service.run_once().await;
        println!(
            "{}",
            lang.pick(format!("{step}. 同步"), format!("{step}. sync"))
        );
        println!("{}", cycle_summary(&report, lang));
        ok &= report.is_clean() && report.photos.failed == 0 && report.photos.expired == 0;
        cycles.push(report);
    }

    let uploads_ok = send_examples(&mut service, simulator, lang).await?;
    ok &= uploads_ok;

    print_summary(&service, &cycles, lang).await;
    service.close().await;
    if ok {
        Ok(())
    } else {
        Err(Failure::rejected(lang.pick(
            "演示中有步骤失败，详见上文",
            "a step of the demonstration failed; see above",
        )))
    }
}

/// A client of the simulator. The simulator listens on the loopback address, so proxies from
/// the environment are not used.
fn client(
    simulator: &RunningSimulator,
    tenant: &Tenant,
    lang: Lang,
) -> Result<Client<jingbao::transport::HttpTransport>, Failure> {
    let endpoint = simulator.gateway_url().parse().map_err(|error| {
        Failure::rejected(format!(
            "invalid simulator URL {}: {error}",
            simulator.gateway_url()
        ))
    })?;
    Client::builder()
        .endpoint(endpoint)
        .app_id(tenant.app_id())
        .app_key(tenant.app_key().clone())
        .insurance_code(tenant.insurance_code())
        .http(HttpConfig::default().proxy(ProxyConfig::Disabled))
        .retry(RetryPolicy::default().retry_unknown_outcome(false))
        .build()
        .map_err(|error| {
            Failure::rejected(lang.pick(
                format!("无法创建客户端：{error}"),
                format!("cannot build the client: {error}"),
            ))
        })
}

/// Queues the example report and claim, sends them and checks that the simulator received
/// each exactly once.
async fn send_examples(
    service: &mut SyncService<JingbaoPlatform>,
    simulator: &RunningSimulator,
    lang: Lang,
) -> Result<bool, Failure> {
    let parse_failure = |error: serde_json::Error| {
        Failure::rejected(format!(
            "an embedded example record does not parse: {error}"
        ))
    };
    let report: Report = serde_json::from_str(EXAMPLE_REPORT).map_err(parse_failure)?;
    let mut claim: Claim = serde_json::from_str(EXAMPLE_CLAIM).map_err(parse_failure)?;
    let violations = claim.validate();
    if violations
        .iter()
        .any(|violation| matches!(violation.rule, Rule::SumMismatch { .. }))
    {
        println!(
            "{}",
            lang.pick(
                "4. 注意：平台文档中的理赔示例 payAmout 为 2000.00，但两笔 payUnitAcount 之和为 1000.00，违反“赔款总金额等于各笔款项之和”的规则；改用 payAmout 为 1000.00 的修正版",
                "4. note: the platform's example claim has payAmout 2000.00 while its two payUnitAcount values add up to 1000.00, which breaks the rule that the total equals the sum of the payments; the corrected version with payAmout 1000.00 is used instead",
            )
        );
        claim = serde_json::from_str(CORRECTED_CLAIM).map_err(parse_failure)?;
    } else if !violations.is_empty() {
        return Err(Failure::rejected(format!(
            "the embedded example claim breaks a rule: {}",
            violations[0]
        )));
    }

    let store = service.store().clone();
    let queued_report = store
        .queue_report(&report)
        .await
        .map_err(|error| store_failure(lang, &error))?;
    let queued_claim = store
        .queue_claim(&claim)
        .await
        .map_err(|error| store_failure(lang, &error))?;
    println!(
        "{}",
        lang.pick(
            format!(
                "5. 示例报案 {} 与理赔 {} 已加入发送队列（编号 {}、{}）",
                report.report_no, claim.claim_no, queued_report.id, queued_claim.id
            ),
            format!(
                "5. example report {} and claim {} queued as outbox entries {} and {}",
                report.report_no, claim.claim_no, queued_report.id, queued_claim.id
            ),
        )
    );

    // Sends until both are delivered or parked; a failure that is not final waits for its
    // short backoff.
    let mut ok = false;
    for _ in 0..10 {
        service
            .send_uploads()
            .await
            .map_err(|error| store_failure(lang, &error))?;
        let (report_entry, _) = store
            .outbox_entry(queued_report.id)
            .await
            .map_err(|error| store_failure(lang, &error))?;
        let (claim_entry, _) = store
            .outbox_entry(queued_claim.id)
            .await
            .map_err(|error| store_failure(lang, &error))?;
        let states = [report_entry.state, claim_entry.state];
        if states
            .iter()
            .all(|state| *state == jb_sync::OutboxState::Delivered)
        {
            ok = true;
            break;
        }
        if states.contains(&jb_sync::OutboxState::Parked) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
    }

    let uploads = simulator.uploads();
    let received = |field: &str, value: &str| {
        uploads
            .iter()
            .filter(|upload| upload.data.get(field).and_then(|v| v.as_str()) == Some(value))
            .count()
    };
    let reports = received("reportNo", &report.report_no);
    let claims = received("claimNo", &claim.claim_no);
    ok &= reports == 1 && claims == 1;
    println!(
        "{}",
        lang.pick(
            format!("6. 上传：模拟平台收到报案 {reports} 次、理赔 {claims} 次（应各 1 次）"),
            format!("6. uploads: the simulator received the report {reports} time(s) and the claim {claims} time(s) (expected once each)"),
        )
    );
    Ok(ok)
}

async fn print_summary(service: &SyncService<JingbaoPlatform>, cycles: &[CycleReport], lang: Lang) {
    println!();
    println!("{}", lang.pick("== 汇总 ==", "== summary =="));
    for operation in Operation::ALL {
        let counts: Vec<String> = cycles
            .iter()
            .map(|report| match report.poll_counts(operation) {
                Some(counts) => lang.pick(
                    format!(
                        "第 {} 轮新增 {}、重复 {}",
                        report.cycle, counts.new_records, counts.repeated
                    ),
                    format!(
                        "cycle {}: new {}, repeated {}",
                        report.cycle, counts.new_records, counts.repeated
                    ),
                ),
                None => lang.pick(
                    format!("第 {} 轮下载失败", report.cycle),
                    format!("cycle {}: download failed", report.cycle),
                ),
            })
            .collect();
        println!(
            "  {}{}{}",
            operation_name(operation, lang),
            lang.pick("：", ": "),
            counts.join(lang.pick("；", "; "))
        );
    }
    let photos: u64 = cycles.iter().map(|report| report.photos.fetched).sum();
    let emitted: u64 = cycles.iter().map(|report| report.emitted).sum();
    let delivered = service
        .store()
        .outbox_entries(Some(jb_sync::OutboxState::Delivered))
        .await
        .map(|entries| entries.len())
        .unwrap_or(0);
    let data_dir = service.data_dir();
    let ndjson = service
        .ndjson_path()
        .map(|path| path.display().to_string())
        .unwrap_or_default();
    println!(
        "{}",
        lang.pick(
            format!(
                "  照片：获取 {photos} 张，存于 {}\n  上传：平台接受 {delivered} 条\n  数据库：{}\n  NDJSON：{ndjson}（{emitted} 行）\n  查看状态：jb status --data-dir {}",
                data_dir.photos().display(),
                data_dir.database().display(),
                data_dir.root().display()
            ),
            format!(
                "  photos: {photos} fetched, stored in {}\n  uploads: {delivered} accepted by the platform\n  database: {}\n  NDJSON: {ndjson} ({emitted} lines)\n  status: jb status --data-dir {}",
                data_dir.photos().display(),
                data_dir.database().display(),
                data_dir.root().display()
            ),
        )
    );
}

/// The directory to fill: the one given, if it is missing or empty, else a new one in the
/// system's temporary directory that is kept after the demo.
fn fresh_data_dir(given: Option<&Path>, lang: Lang) -> Result<PathBuf, Failure> {
    if let Some(path) = given {
        let occupied = std::fs::read_dir(path).is_ok_and(|mut entries| entries.next().is_some());
        if occupied {
            return Err(Failure::usage(lang.pick(
                format!("{} 不是空目录：演示需要新的数据目录，请换一个路径或省略 --data-dir", path.display()),
                format!("{} is not empty: the demo needs a fresh data directory; give another path or omit --data-dir", path.display()),
            )));
        }
        return Ok(path.to_path_buf());
    }
    let mut builder = tempfile::Builder::new();
    builder.prefix("jb-demo-");
    // The demo's records carry (made-up) personal data; keep the folder owner-only like the
    // folders jb sync creates.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        builder.permissions(std::fs::Permissions::from_mode(0o700));
    }
    builder
        .tempdir()
        .map(tempfile::TempDir::keep)
        .map_err(|error| {
            Failure::rejected(lang.pick(
                format!("无法创建临时数据目录：{error}"),
                format!("cannot create a temporary data directory: {error}"),
            ))
        })
}

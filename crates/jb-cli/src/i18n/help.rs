//! Chinese help text for the `jb` command tree.
//!
//! The clap definitions in `cli.rs` contain the English text, and [`ZH`] maps each English help
//! line to its Chinese line. A test walks the whole tree and fails when a line has no
//! translation, so an option added without its Chinese help fails the tests.

use clap::{Arg, ArgAction, Command};

/// English help line → Chinese help line. Commands add their rows here.
pub(super) static ZH: &[(&str, &str)] = &[
    (
        "Tools for the Shenzhen police-insurance information sharing platform",
        "深圳市警保信息共享平台对接工具",
    ),
    (
        "Language of messages and help: zh or en (default: from the locale)",
        "提示与帮助的语言：zh 或 en（默认取自系统区域设置）",
    ),
    // Sign and cipher debugging.
    (
        "Print the sign of the envelope on stdin (every field but sign)",
        "计算标准输入中报文的签名（sign 以外的全部字段）",
    ),
    (
        "Check the sign of the envelope on stdin",
        "校验标准输入中报文的签名",
    ),
    (
        "Show how the sign of the envelope on stdin is computed, step by step",
        "逐步展示标准输入中报文签名的计算过程",
    ),
    (
        "Encrypt stdin into one line of Base64 data",
        "把标准输入加密为一行 Base64 数据",
    ),
    (
        "Decrypt the Base64 data on stdin",
        "解密标准输入中的 Base64 数据",
    ),
    (
        "Seal the business JSON on stdin into a signed request envelope",
        "把标准输入中的业务 JSON 封装为已签名的请求报文",
    ),
    (
        "Check a request or response envelope on stdin and print its business data",
        "校验标准输入中的请求或响应报文，并输出其业务数据",
    ),
    (
        "File holding the appKey (default: the JB_APP_KEY or JB_APP_KEY_FILE environment variable)",
        "存放 appKey 的文件（默认取环境变量 JB_APP_KEY 或 JB_APP_KEY_FILE）",
    ),
    (
        "appId issued by the platform (default: the JB_APP_ID environment variable)",
        "平台分配的 appId（默认取环境变量 JB_APP_ID）",
    ),
    (
        "Encrypt stdin exactly as read, keeping a trailing line break",
        "按原样加密标准输入，保留末尾换行符",
    ),
    (
        "Operation: a wire name such as accidentDownload, or J1 to J5",
        "接口：报文中的方法名（如 accidentDownload），或 J1 至 J5",
    ),
    (
        "serialNo to use instead of a fresh one (at most 32 characters)",
        "指定 serialNo，不自动生成（最多 32 个字符）",
    ),
    (
        "timeStamp to use instead of the current Beijing time (yyyyMMddHHmmss)",
        "指定 timeStamp，不取当前北京时间（yyyyMMddHHmmss）",
    ),
    (
        "Open the input as a request envelope (the platform's side)",
        "按请求报文打开输入（平台一侧）",
    ),
    (
        "Open the input as a response envelope (the insurer's side)",
        "按响应报文打开输入（保险公司一侧）",
    ),
    // Records and code tables.
    (
        "Check a report or claim file against every field rule of the platform",
        "按平台的全部字段规则校验报案或理赔文件",
    ),
    (
        "Decode the decrypted data of a download, from a file or stdin, record by record",
        "逐条解析下载接口解密后的数据，数据取自文件或标准输入",
    ),
    (
        "File holding the decrypted data, a JSON list of records (default: read stdin)",
        "存放解密后数据（记录的 JSON 列表）的文件（默认读取标准输入）",
    ),
    ("Show the platform's code tables", "显示平台的代码表"),
    (
        "Every field of a report and a claim, with a complete example of each: docs/en/records.md",
        "报案与理赔记录的全部字段及各自的完整示例见 docs/zh/records.md",
    ),
    (
        "Record type: report (J3) or claim (J4)",
        "记录类型：report（J3 报案）或 claim（J4 理赔）",
    ),
    (
        "JSON file holding the record's business data, or - to read stdin",
        "存放记录业务数据的 JSON 文件；用 - 表示从标准输入读取",
    ),
    (
        "Accept dictionary codes the published tables do not list",
        "允许代码表中未列出的代码",
    ),
    ("J3 reportCaseUpload", "J3 报案信息上传"),
    ("J4 settleClaimUpload", "J4 理赔信息上传"),
    (
        "Download the data came from: warnings (J1), accidents (J2) or dispatches (J5)",
        "数据来自哪个下载接口：warnings（J1 警情）、accidents（J2 事故）或 dispatches（J5 调度）",
    ),
    ("J1 warningInstanceDownload", "J1 警情信息下载"),
    ("J2 accidentDownload", "J2 事故信息下载"),
    ("J5 dispatchInfoDownload", "J5 调度信息下载"),
    (
        "Table key such as plate-type, or Rust name such as PlateType (default: list the tables)",
        "代码表的键（如 plate-type）或 Rust 名称（如 PlateType）；省略时列出全部代码表",
    ),
    ("Print JSON instead of text", "以 JSON 而非文本输出"),
    // jb sim.
    (
        "Run a simulator of the platform gateway on this machine until Ctrl+C",
        "在本机运行警保平台网关模拟器，按 Ctrl+C 停止",
    ),
    (
        "Simulator configuration file (TOML): tenants, clock window, scenario, faults, limits",
        "模拟器配置文件（TOML）：租户、时间窗口、场景、故障注入、内存上限",
    ),
    (
        "Address to listen on (default: 127.0.0.1:0, a free port)",
        "监听地址（默认 127.0.0.1:0，即任选一个空闲端口）",
    ),
    (
        "Insurer code of the tenant (default: the JB_INSURANCE_CODE environment variable)",
        "租户的保险公司代码（默认取环境变量 JB_INSURANCE_CODE）",
    ),
    (
        "Seed of the generated records and of fault injection",
        "生成记录与故障注入所用的随机种子",
    ),
    (
        "Where to write the key of a generated tenant (default: a new file in the temporary directory)",
        "自动生成的租户的 appKey 写入的文件（默认在临时目录中新建一个文件）",
    ),
    (
        "Download records from the platform and print them as JSON",
        "从平台下载记录并以 JSON 输出",
    ),
    (
        "Validate a report or claim file and upload it to the platform",
        "校验报案或理赔记录文件并上传到平台",
    ),
    (
        "Records to download: warnings (J1), accidents (J2) or dispatches (J5)",
        "要下载的记录：warnings（J1 警情）、accidents（J2 事故）或 dispatches（J5 调度）",
    ),
    (
        "Client configuration file, TOML (default: ./jb.toml if it exists)",
        "客户端配置文件，TOML 格式（默认：当前目录下的 jb.toml，如存在）",
    ),
    (
        "Record type: report (J3) or claim (J4)",
        "记录类型：report（J3 报案）或 claim（J4 理赔）",
    ),
    (
        "JSON file of the record, with the platform's field names, or - to read stdin",
        "记录的 JSON 文件，字段名与平台一致；用 - 表示从标准输入读取",
    ),
    (
        "Print the sealed request envelope instead of sending it",
        "只输出签名加密后的请求报文，不发送",
    ),
    (
        "Queue the record in jb sync's outbox instead of sending it now; jb sync sends it",
        "把记录加入 jb sync 的发送队列而不立即发送，由 jb sync 发送",
    ),
    (
        "Data directory of jb sync: database, NDJSON output and photos (default: ./jb-data)",
        "jb sync 的数据目录：数据库、NDJSON 输出和照片（默认 ./jb-data）",
    ),
    (
        "Keep a local store in step with the platform: poll, store, emit, fetch photos, send uploads",
        "让本地存储与平台保持同步：轮询、入库、输出、获取照片、发送上传",
    ),
    (
        "Run one cycle, print what it did and exit (exit status 1 if a step failed or an upload was parked)",
        "只运行一轮，输出本轮结果后退出（有步骤失败或有上传被搁置时退出码为 1）",
    ),
    (
        "Time between cycles, such as 3m, 90s or 500ms (default 3m; the platform expects 2m to 10m)",
        "两轮之间的间隔，例如 3m、90s 或 500ms（默认 3m；平台要求 2m 到 10m）",
    ),
    (
        "Random shift of each wait between cycles, either way (default 15s)",
        "每次等待随机提前或推后的最大时长（默认 15s）",
    ),
    (
        "NDJSON output file (default: records.ndjson in the data directory)",
        "NDJSON 输出文件（默认为数据目录下的 records.ndjson）",
    ),
    (
        "Write no NDJSON file; --stdout is then required",
        "不写 NDJSON 文件；此时必须使用 --stdout",
    ),
    (
        "Size in MiB at which the NDJSON file is rotated (default 64)",
        "NDJSON 文件达到多少 MiB 时轮转（默认 64）",
    ),
    (
        "Also write each new record version to stdout as one NDJSON line",
        "同时把每个新记录版本作为一行 NDJSON 写到标准输出",
    ),
    ("Do not fetch accident photos", "不获取事故照片"),
    (
        "Photos fetched at once, 1 to 64 (default 4)",
        "同时获取的照片数，1 到 64（默认 4）",
    ),
    (
        "Wait after an upload's first failed attempt, doubled after each further failure (default 30s)",
        "上传首次失败后的等待时长，之后每失败一次加倍（默认 30s）",
    ),
    (
        "Longest wait between attempts of an upload (default 30m)",
        "上传两次尝试之间的最长等待（默认 30m）",
    ),
    (
        "Show what jb sync has done, from its database",
        "根据数据库显示 jb sync 的运行情况",
    ),
    ("Print the status as JSON", "以 JSON 输出状态"),
    (
        "List, inspect and retry the uploads queued for jb sync",
        "列出、查看和重试 jb sync 发送队列中的上传",
    ),
    (
        "List queued, parked and delivered uploads, newest first",
        "列出排队、搁置和已送达的上传，最新的在前",
    ),
    (
        "Only entries in this state: queued, sending, unknown_outcome, parked, delivered",
        "只列出该状态的条目：queued、sending、unknown_outcome、parked、delivered",
    ),
    (
        "Show one upload with its record and every send attempt",
        "显示一条上传的记录内容和每次发送尝试",
    ),
    (
        "Outbox entry id, as jb outbox list prints it",
        "发送队列条目编号，即 jb outbox list 显示的编号",
    ),
    (
        "Send a parked, queued or unknown-outcome upload in the next cycle, without waiting for its backoff",
        "让已搁置、排队中或结果未知的上传在下一轮发送，不再等待退避时间",
    ),
    (
        "Run the main job against a local simulator: two sync cycles and the example uploads",
        "在本机模拟平台上运行主流程：两轮同步和示例上传",
    ),
    (
        "Data directory to fill; it must be missing or empty (default: a new directory in the system's temporary directory, kept afterwards)",
        "要写入的数据目录，必须不存在或为空（默认在系统临时目录中新建，结束后保留）",
    ),
];

/// Looks up the Chinese text of an English help line.
pub(crate) fn lookup(english: &str) -> Option<&'static str> {
    ZH.iter()
        .find(|(source, _)| *source == english)
        .map(|(_, target)| *target)
}

/// Translates one command and, recursively, its subcommands.
pub(super) fn translate_tree(command: Command) -> Command {
    let command = translate_command(command);
    command.mut_subcommands(translate_tree)
}

fn translate_command(mut command: Command) -> Command {
    if let Some(text) = command
        .get_about()
        .and_then(|about| lookup(&about.to_string()))
    {
        command = command.about(text);
    }
    if let Some(text) = command
        .get_long_about()
        .and_then(|about| lookup(&about.to_string()))
    {
        command = command.long_about(text);
    }

    if let Some(text) = command
        .get_after_help()
        .and_then(|help| lookup(&help.to_string()))
    {
        command = command.after_help(text);
    }

    let has_version = command.get_version().is_some();
    let has_subcommands = command.has_subcommands();
    // clap sorts the arguments under a custom heading by display order, then by name, so
    // positionals get their definition order explicitly to match the usage line.
    let mut position = 0;
    command = command
        .mut_args(|arg| {
            let arg = translate_arg(arg);
            if !arg.is_positional() {
                return arg;
            }
            position += 1;
            arg.display_order(position)
        })
        .help_template("{before-help}{about-with-newline}\n用法: {usage}\n\n{all-args}{after-help}")
        .subcommand_help_heading("命令")
        .subcommand_value_name("命令")
        .disable_help_subcommand(true)
        .disable_help_flag(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help("显示帮助")
                .help_heading("选项"),
        );
    if has_subcommands {
        command = command.subcommand(help_subcommand());
    }
    if has_version {
        command = command.disable_version_flag(true).arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help("显示版本")
                .help_heading("选项"),
        );
    }
    command
}

/// The `help [命令]...` subcommand of the Chinese tree. clap's own help subcommand has English
/// text that cannot be replaced, so `main` handles this one itself.
fn help_subcommand() -> Command {
    Command::new(HELP_SUBCOMMAND)
        .about("显示本命令或指定子命令的帮助")
        .arg(
            Arg::new(HELP_PATH)
                .value_name("命令")
                .num_args(0..)
                .action(ArgAction::Append)
                .help("要查看帮助的子命令，如 sync 或 outbox list"),
        )
}

/// Name of the help subcommand and id of its argument.
pub(crate) const HELP_SUBCOMMAND: &str = "help";
pub(crate) const HELP_PATH: &str = "command";

fn translate_arg(mut arg: Arg) -> Arg {
    if let Some(text) = arg.get_help().and_then(|help| lookup(&help.to_string())) {
        arg = arg.help(text);
    }
    if let Some(text) = arg
        .get_long_help()
        .and_then(|help| lookup(&help.to_string()))
    {
        arg = arg.long_help(text);
    }
    arg = annotate(arg);
    let heading = if arg.is_positional() {
        "参数"
    } else {
        "选项"
    };
    arg.help_heading(heading)
}

/// Moves clap's English `[env: …]` and `[possible values: …]` annotations into the Chinese
/// help line, unless the line already names them.
fn annotate(arg: Arg) -> Arg {
    // clap shows neither annotation on a flag, and rejects hiding them there.
    if !arg.get_action().takes_values() {
        return arg;
    }
    let Some(help) = arg.get_help().map(ToString::to_string) else {
        return arg.hide_possible_values(true).hide_env(true);
    };
    let mut notes = Vec::new();

    let values: Vec<String> = arg
        .get_possible_values()
        .iter()
        .filter(|value| !value.is_hide_set())
        .map(|value| value.get_name().to_owned())
        .collect();
    if !values.is_empty() && !values.iter().all(|value| help.contains(value.as_str())) {
        notes.push(format!("可选值：{}", values.join("、")));
    }
    let variable = arg
        .get_env()
        .map(|name| name.to_string_lossy().into_owned());
    if let Some(variable) = variable.filter(|variable| !help.contains(variable.as_str())) {
        notes.push(format!("环境变量 {variable}"));
    }

    let arg = arg.hide_possible_values(true).hide_env(true);
    match notes.is_empty() {
        true => arg,
        false => arg.help(format!("{help}（{}）", notes.join("；"))),
    }
}

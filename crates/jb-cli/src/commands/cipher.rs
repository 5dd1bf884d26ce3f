//! `jb encrypt` and `jb decrypt`: the `data` cipher on its own.

use jb_crypto::DataCipher;

use crate::credentials::KeyArgs;
use crate::failure::Failure;
use crate::i18n::Lang;
use crate::messages;
use crate::stdio::{print_line, read_stdin, strip_line_break, write_stdout};

/// Arguments of `jb encrypt`.
#[derive(Debug, clap::Args)]
pub(crate) struct EncryptArgs {
    #[command(flatten)]
    pub(crate) key: KeyArgs,

    /// Encrypt stdin exactly as read, keeping a trailing line break
    #[arg(long)]
    pub(crate) keep_line_break: bool,
}

/// Arguments of `jb decrypt`.
#[derive(Debug, clap::Args)]
pub(crate) struct DecryptArgs {
    #[command(flatten)]
    pub(crate) key: KeyArgs,
}

/// Encrypts stdin and prints one line of Base64.
pub(crate) fn run_encrypt(args: &EncryptArgs, lang: Lang) -> Result<(), Failure> {
    let app_key = args.key.load(lang)?;
    let input = read_stdin(lang, "jb encrypt < data.json")?;
    let plaintext = match args.keep_line_break {
        true => &input[..],
        false => strip_line_break(&input),
    };

    let cipher = DataCipher::new(&app_key);
    print_line(&cipher.encrypt(plaintext), lang)
}

/// Decrypts the Base64 on stdin and writes the plaintext bytes.
pub(crate) fn run_decrypt(args: &DecryptArgs, lang: Lang) -> Result<(), Failure> {
    let app_key = args.key.load(lang)?;
    let input = read_stdin(lang, "jb decrypt < data.txt")?;
    let text = std::str::from_utf8(&input).map_err(|_| {
        Failure::rejected(lang.pick(
            "输入不是 Base64 文本：含有非 ASCII 字节",
            "input is not Base64 text: it contains non-ASCII bytes",
        ))
    })?;

    let cipher = DataCipher::new(&app_key);
    let plaintext = cipher
        .decrypt(text.trim_end())
        .map_err(|error| Failure::rejected(messages::decrypt_error(lang, &error)))?;
    write_stdout(&plaintext, lang)
}

//! Reading the input of a command from stdin and writing its result to stdout.

use std::io::{Read as _, Write as _};

use crate::failure::Failure;
use crate::i18n::Lang;

/// Reads all of stdin. Empty input is rejected, since every command that reads stdin needs
/// something to work on; the message shows `example`, the command run with its input
/// redirected, such as `jb decrypt < data.txt`.
pub(crate) fn read_stdin(lang: Lang, example: &str) -> Result<Vec<u8>, Failure> {
    let mut input = Vec::new();
    std::io::stdin().read_to_end(&mut input).map_err(|error| {
        Failure::rejected(lang.pick(
            format!("读取标准输入失败：{error}"),
            format!("failed to read stdin: {error}"),
        ))
    })?;
    if input.is_empty() {
        return Err(Failure::rejected(lang.pick(
            format!("标准输入为空：请通过管道或重定向提供输入，例如 {example}"),
            format!("stdin is empty: pipe or redirect the input, for example {example}"),
        )));
    }
    Ok(input)
}

/// Removes one trailing line break (`\n` or `\r\n`), which `echo` and editors add to input.
pub(crate) fn strip_line_break(input: &[u8]) -> &[u8] {
    input
        .strip_suffix(b"\r\n")
        .or_else(|| input.strip_suffix(b"\n"))
        .unwrap_or(input)
}

/// Writes `output` to stdout and flushes.
pub(crate) fn write_stdout(output: &[u8], lang: Lang) -> Result<(), Failure> {
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(output)
        .and_then(|()| stdout.flush())
        .map_err(|error| {
            Failure::rejected(lang.pick(
                format!("写入标准输出失败：{error}"),
                format!("failed to write stdout: {error}"),
            ))
        })
}

/// Writes `line` and a line break to stdout.
pub(crate) fn print_line(line: &str, lang: Lang) -> Result<(), Failure> {
    let mut output = String::with_capacity(line.len() + 1);
    output.push_str(line);
    output.push('\n');
    write_stdout(output.as_bytes(), lang)
}

#[cfg(test)]
mod tests {
    use super::strip_line_break;

    #[test]
    fn strip_line_break_removes_one() {
        assert_eq!(strip_line_break(b"abc\n"), b"abc");
        assert_eq!(strip_line_break(b"abc\r\n"), b"abc");
        assert_eq!(strip_line_break(b"abc\n\n"), b"abc\n");
        assert_eq!(strip_line_break(b"abc"), b"abc");
    }
}

//! Finding the bytes a JSON string cannot hold as they are: control characters, quotes and
//! backslashes. Writing escapes them; reading stops at them.

/// Bytes checked at a time. A whole block is checked with no early exit and no branch, so the
/// compiler can use vector instructions.
const BLOCK_LEN: usize = 32;

/// Returns `true` when `block` contains a byte a JSON string must escape. The count has a fixed
/// length and no branch, so it compiles to a few vector instructions. The three tests exclude
/// each other, so the count is at most the block length and cannot wrap to zero.
fn block_has_special(block: &[u8; BLOCK_LEN]) -> bool {
    let count = block
        .iter()
        .map(|byte| u8::from(*byte < 0x20) + u8::from(*byte == b'"') + u8::from(*byte == b'\\'))
        .fold(0u8, u8::wrapping_add);
    count != 0
}

/// Returns the index of the first byte a JSON string must escape.
pub(crate) fn find_special(bytes: &[u8]) -> Option<usize> {
    let (blocks, remainder) = bytes.as_chunks::<BLOCK_LEN>();
    match blocks.iter().position(block_has_special) {
        Some(index) => find_special_in_block(&blocks[index]).map(|found| index * BLOCK_LEN + found),
        None => remainder
            .iter()
            .position(|byte| is_special(*byte))
            .map(|found| blocks.len() * BLOCK_LEN + found),
    }
}

/// Returns `true` for a byte a JSON string must escape.
fn is_special(byte: u8) -> bool {
    byte < 0x20 || byte == b'"' || byte == b'\\'
}

/// Finds the first byte a JSON string must escape in a block, eight bytes at a time.
fn find_special_in_block(block: &[u8; BLOCK_LEN]) -> Option<usize> {
    let (words, _) = block.as_chunks::<WORD_LEN>();
    words.iter().enumerate().find_map(|(index, word)| {
        let mask = special_word_mask(u64::from_le_bytes(*word));
        (mask != 0).then(|| index * WORD_LEN + mask.trailing_zeros() as usize / 8)
    })
}

/// Bytes in a word.
const WORD_LEN: usize = 8;

/// Returns a mask with the high bit of each byte of `word` a JSON string must escape. Only the
/// lowest flagged byte is sure: a borrow can flag bytes above it.
fn special_word_mask(word: u64) -> u64 {
    const ONES: u64 = u64::from_le_bytes([0x01; WORD_LEN]);
    const HIGH_BITS: u64 = u64::from_le_bytes([0x80; WORD_LEN]);

    let below = |limit: u8| word.wrapping_sub(ONES * u64::from(limit)) & !word & HIGH_BITS;
    let zero = |bytes: u64| bytes.wrapping_sub(ONES) & !bytes & HIGH_BITS;

    below(0x20) | zero(word ^ (ONES * u64::from(b'"'))) | zero(word ^ (ONES * u64::from(b'\\')))
}

#[cfg(test)]
mod tests {
    use super::find_special;

    #[test]
    fn find_special_finds_first_in_any_block() {
        let plain = "EpQ2wjVMPiM4BcmmJnXaydzQIP2F/ZU69SEveShrcaA=".repeat(3);
        for special in ['"', '\\', '\n', '\u{0}', '\u{1f}'] {
            for index in [0, 5, 31, 32, 33, 63, 64, plain.len() - 1] {
                let mut text = plain.clone();
                text.replace_range(index..=index, &special.to_string());

                assert_eq!(
                    find_special(text.as_bytes()),
                    Some(index),
                    "{special:?} at {index}"
                );
            }
        }
    }

    #[test]
    fn find_special_finds_first_after_other_bytes() {
        let cases = [
            ("成\"", 3),
            ("\u{7f}\u{80}\u{1}\"", 3),
            ("ab\u{1f}\"", 2),
            ("\u{ff}\\", 2),
            ("!!#$%&'()*+,-./\"", 15),
        ];

        for (text, expected) in cases {
            assert_eq!(find_special(text.as_bytes()), Some(expected), "{text:?}");
        }
    }

    #[test]
    fn find_special_passes_other_bytes() {
        let text = "成功 ~ \u{7f} / 😀 ".repeat(10);

        assert_eq!(find_special(text.as_bytes()), None);
        assert_eq!(find_special(b""), None);
    }
}

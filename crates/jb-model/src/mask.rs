//! Masking of personal data for logs and validation messages.
//!
//! Each function keeps just enough of a value to tell two records apart in a log, never enough
//! to identify a person. All of them count characters, not bytes, and accept any input.

/// The masking character.
const MASK: char = '*';

/// Masks a person's name, keeping the first character: `张三` → `张*`, `欧阳娜娜` → `欧***`.
/// A one-character name is masked whole.
pub fn name(value: &str) -> String {
    keep_ends(value.trim(), 1, 0)
}

/// Masks a phone number, keeping the first 3 and last 4 characters of an 11-character mobile
/// number (`135****3806`) and only the last 2 of a shorter one.
pub fn phone(value: &str) -> String {
    let value = value.trim();
    if value.chars().count() >= 11 {
        keep_ends(value, 3, 4)
    } else {
        keep_ends(value, 0, 2)
    }
}

/// Masks an identity document number, keeping the first 4 and last 4 characters of a long one
/// (`4402**********3123`) and only the last 2 of one with 8 characters or fewer.
pub fn id_number(value: &str) -> String {
    let value = value.trim();
    if value.chars().count() > 8 {
        keep_ends(value, 4, 4)
    } else {
        keep_ends(value, 0, 2)
    }
}

/// Masks a bank account number, keeping the last 4 characters: `************3232`.
pub fn bank_account(value: &str) -> String {
    let value = value.trim();
    if value.chars().count() > 4 {
        keep_ends(value, 0, 4)
    } else {
        keep_ends(value, 0, 0)
    }
}

/// Masks a plate number, keeping the region prefix (province character and letter) and the
/// last character: `粤B12345` → `粤B****5`.
pub fn plate(value: &str) -> String {
    let value = value.trim();
    if value.chars().count() > 3 {
        keep_ends(value, 2, 1)
    } else {
        keep_ends(value, 0, 0)
    }
}

/// Masks digit runs of 7 or more in free text, such as phone, ID and account numbers written
/// into a description. The last 4 digits of each run are kept and other text is unchanged.
pub fn free_text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut run = String::new();
    for c in value.chars() {
        if c.is_ascii_digit() {
            run.push(c);
            continue;
        }
        flush_digits(&mut out, &mut run);
        out.push(c);
    }
    flush_digits(&mut out, &mut run);
    out
}

fn flush_digits(out: &mut String, run: &mut String) {
    if run.len() >= 7 {
        out.push_str(&keep_ends(run, 0, 4));
    } else {
        out.push_str(run);
    }
    run.clear();
}

/// Keeps `head` leading and `tail` trailing characters and masks the rest. When the value is
/// too short to keep both ends and mask anything, everything is masked.
fn keep_ends(value: &str, head: usize, tail: usize) -> String {
    let chars: Vec<char> = value.chars().collect();
    if chars.len() <= head + tail {
        return MASK.to_string().repeat(chars.len().max(1));
    }
    let masked = chars.len() - head - tail;
    let mut out: String = chars[..head].iter().collect();
    out.extend(std::iter::repeat_n(MASK, masked));
    out.extend(&chars[chars.len() - tail..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_keeps_first_character() {
        assert_eq!(name("张三"), "张*");
        assert_eq!(name("欧阳娜娜"), "欧***");
        assert_eq!(name("吴"), "*");
        assert_eq!(name(""), "*");
    }

    #[test]
    fn phone_keeps_prefix_and_suffix() {
        assert_eq!(phone("13528833806"), "135****3806");
        assert_eq!(phone("0755-1234"), "*******34");
        assert_eq!(phone("1"), "*");
    }

    #[test]
    fn id_number_keeps_ends() {
        assert_eq!(id_number("440223142352520103123"), "4402*************3123");
        assert_eq!(id_number("A1234567"), "******67");
    }

    #[test]
    fn bank_account_keeps_last_four() {
        assert_eq!(bank_account("13149205524493232"), "*************3232");
        assert_eq!(bank_account("1234"), "****");
    }

    #[test]
    fn plate_keeps_region_and_last() {
        assert_eq!(plate("粤B12345"), "粤B****5");
        assert_eq!(plate("粤B1"), "***");
    }

    #[test]
    fn free_text_masks_long_digit_runs() {
        assert_eq!(free_text("回拨13528833806无人接"), "回拨*******3806无人接");
        assert_eq!(
            free_text("100028_180810 01:33:52"),
            "100028_180810 01:33:52"
        );
    }

    #[test]
    fn masks_never_reveal_short_values() {
        for f in [phone, id_number, bank_account, plate] {
            assert!(!f("12").contains('1'));
        }
    }
}

//! A list of codes sent as one comma-separated string, such as `channelTypes` = `01,02`.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::Code;

/// Codes of one table, written on the wire as `01,02`.
///
/// Decoding trims each code and skips empty pieces, so `" 01, 02 "` and `"01,02"` are equal and
/// `""` is an empty list. A JSON array of codes is accepted too.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CodeList<C>(pub Vec<C>);

impl<C> Default for CodeList<C> {
    fn default() -> Self {
        Self(Vec::new())
    }
}

impl<C: Code> CodeList<C> {
    /// Parses a comma-separated list of codes.
    pub fn parse(text: &str) -> Self {
        Self(
            text.split(',')
                .map(str::trim)
                .filter(|piece| !piece.is_empty())
                .map(C::from_code)
                .collect(),
        )
    }

    /// The codes as they go on the wire: joined by commas, no spaces.
    pub fn to_wire(&self) -> String {
        let codes: Vec<&str> = self.0.iter().map(Code::code).collect();
        codes.join(",")
    }
}

impl<C: Code> fmt::Display for CodeList<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_wire())
    }
}

impl<C: Code> Serialize for CodeList<C> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_wire())
    }
}

impl<'de, C: Code> Deserialize<'de> for CodeList<C> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(CodeListVisitor(PhantomData))
    }
}

struct CodeListVisitor<C>(PhantomData<C>);

impl<'de, C: Code> Visitor<'de> for CodeListVisitor<C> {
    type Value = CodeList<C>;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            formatter,
            "comma-separated codes of table `{}`",
            C::TABLE.key
        )
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
        Ok(CodeList::parse(value))
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Self::Value, E> {
        Ok(CodeList::parse(&value.to_string()))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(CodeList::default())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut codes = Vec::new();
        while let Some(code) = seq.next_element::<serde_json::Value>()? {
            let text = match code {
                serde_json::Value::String(text) => text,
                other => other.to_string(),
            };
            if !text.trim().is_empty() {
                codes.push(C::from_code(&text));
            }
        }
        Ok(CodeList(codes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dict::LossType;

    #[test]
    fn code_list_parses_and_trims() {
        let list: CodeList<LossType> = CodeList::parse(" 01, 02 ,");
        assert_eq!(
            list.0,
            vec![LossType::VehicleOneDamage, LossType::VehicleTwoDamage]
        );
        assert_eq!(list.to_wire(), "01,02");
    }

    #[test]
    fn code_list_keeps_unknown_code() {
        let list: CodeList<LossType> = serde_json::from_str("\"01,77\"").unwrap();
        assert_eq!(list.0[1], LossType::Unknown("77".to_owned()));
        assert_eq!(serde_json::to_string(&list).unwrap(), "\"01,77\"");
    }

    #[test]
    fn code_list_accepts_array() {
        let list: CodeList<LossType> = serde_json::from_str("[\"01\", 2]").unwrap();
        assert_eq!(
            list.0,
            vec![
                LossType::VehicleOneDamage,
                LossType::Unknown("2".to_owned())
            ]
        );
    }

    #[test]
    fn code_list_empty_string_is_empty() {
        let list: CodeList<LossType> = serde_json::from_str("\"\"").unwrap();
        assert!(list.0.is_empty());
    }
}

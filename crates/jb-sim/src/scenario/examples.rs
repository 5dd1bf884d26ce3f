//! The platform's documented example records, returned by the first poll of each download.

use serde_json::Value;

use super::Feed;

const WARNINGS: &str = include_str!("../../data/warnings.json");
const ACCIDENTS: &str = include_str!("../../data/accidents.json");
const DISPATCH: &str = include_str!("../../data/dispatch.json");

/// Returns the example records of `feed` as a list.
pub(super) fn records(feed: Feed) -> Vec<Value> {
    let text = match feed {
        Feed::Warnings => WARNINGS,
        Feed::Accidents => ACCIDENTS,
        Feed::Dispatches => DISPATCH,
    };
    // The files are part of the crate and checked by a test, so a parse failure cannot happen
    // at run time; an empty list keeps this function total all the same.
    match serde_json::from_str(text) {
        Ok(Value::Array(records)) => records,
        Ok(record @ Value::Object(_)) => vec![record],
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_parse_for_every_feed() {
        for feed in Feed::ALL {
            assert_eq!(records(feed).len(), 1, "{feed:?}");
        }
    }
}

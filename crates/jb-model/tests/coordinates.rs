//! Coordinate conversion against published reference points (`tests/data/coordinates.csv`,
//! which names the source of each point).
#![allow(clippy::unwrap_used, clippy::panic)]

use std::path::PathBuf;

use jb_model::LonLat;

struct Case {
    line: usize,
    conversion: String,
    input: LonLat,
    expected: LonLat,
    tolerance: f64,
}

fn cases() -> Vec<Case> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/coordinates.csv");
    let text = std::fs::read_to_string(&path).unwrap();
    let mut cases = Vec::new();
    for (index, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let cells: Vec<&str> = line.splitn(7, ',').collect();
        assert_eq!(cells.len(), 7, "line {}: expected 7 cells", index + 1);
        assert!(
            !cells[6].trim().is_empty(),
            "line {}: the source is missing",
            index + 1
        );
        let number = |cell: &str| cell.parse::<f64>().unwrap();
        cases.push(Case {
            line: index + 1,
            conversion: cells[0].to_owned(),
            input: LonLat::new(number(cells[1]), number(cells[2])),
            expected: LonLat::new(number(cells[3]), number(cells[4])),
            tolerance: number(cells[5]),
        });
    }
    cases
}

#[test]
fn conversions_match_reference_points() {
    let cases = cases();
    assert!(cases.len() >= 4);

    for case in cases {
        let actual = match case.conversion.as_str() {
            "wgs84_to_gcj02" => case.input.wgs84_to_gcj02(),
            "gcj02_to_bd09" => case.input.gcj02_to_bd09(),
            "bd09_to_gcj02" => case.input.bd09_to_gcj02(),
            other => panic!("line {}: unknown conversion {other}", case.line),
        };
        let error = (actual.lon - case.expected.lon)
            .abs()
            .max((actual.lat - case.expected.lat).abs());
        assert!(
            error <= case.tolerance,
            "line {}: {} of {:?} gave {:?}, expected {:?} within {}",
            case.line,
            case.conversion,
            case.input,
            actual,
            case.expected,
            case.tolerance
        );
    }
}

#[test]
fn gcj02_and_bd09_round_trip() {
    // A position in Futian, Shenzhen.
    let gcj = LonLat::new(114.062016, 22.539734);
    let back = gcj.gcj02_to_bd09().bd09_to_gcj02();
    assert!((back.lon - gcj.lon).abs() < 1e-9, "{back:?}");
    assert!((back.lat - gcj.lat).abs() < 1e-9, "{back:?}");
}

#[test]
fn wgs84_to_gcj02_moves_shenzhen_points() {
    let wgs = LonLat::new(114.062016, 22.539734);
    let gcj = wgs.wgs84_to_gcj02();
    // The GCJ-02 offset in Shenzhen is a few hundred metres, mostly eastward.
    let shift = gcj.lon - wgs.lon;
    assert!(shift > 0.003, "{gcj:?}");
    assert!(shift < 0.007, "{gcj:?}");
}

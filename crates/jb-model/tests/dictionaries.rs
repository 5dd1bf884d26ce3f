//! The generated code tables: completeness, lookup and serde as the code string.
#![allow(clippy::unwrap_used)]

use jb_model::{
    AccidentCause, CertificateType, Code, DutyProportion, Insurer, LossType, PhotoType, PlateType,
    TableKind, YesNo, table, tables,
};

#[test]
fn dictionaries_have_every_row() {
    for (key, rows) in [
        ("insurer", 34),
        ("plate-type", 35),
        ("certificate-type", 20),
        ("accident-cause", 9),
        ("loss-type", 9),
        ("photo-type", 13),
    ] {
        let table = table(key).unwrap();
        assert_eq!(table.rows.len(), rows, "{key}");
        assert_eq!(table.kind, TableKind::Dictionary, "{key}");
    }
}

#[test]
fn enum_lists_match_table_rows() {
    assert_eq!(Insurer::ALL.len(), Insurer::TABLE.rows.len());
    assert_eq!(PlateType::ALL.len(), PlateType::TABLE.rows.len());
    for (plate_type, row) in PlateType::ALL.iter().zip(PlateType::TABLE.rows) {
        assert_eq!(plate_type.code(), row[0]);
        assert_eq!(plate_type.name(), Some(row[1]));
    }
}

#[test]
fn codes_parse_to_variants() {
    assert_eq!(Insurer::from_code("CPIC"), Insurer::Cpic);
    assert_eq!(
        Insurer::Cpic.name(),
        Some("中国太平洋财产保险股份有限公司深圳分公司")
    );
    assert_eq!(
        PlateType::from_code(" 52 "),
        PlateType::SmallNewEnergyVehicle
    );
    assert_eq!(
        CertificateType::from_code("55").name(),
        Some("外国人永久居留身份证")
    );
    assert_eq!(PhotoType::from_code("R1"), PhotoType::LiabilityReview);
    assert_eq!(LossType::from_code("09").name(), Some("乘客"));
    assert_eq!(DutyProportion::from_code("0"), DutyProportion::NoLiability);
}

#[test]
fn accident_cause_has_situation_and_levels() {
    let cause = AccidentCause::from_code("08");
    assert_eq!(cause.name(), Some("未保持安全车距与前车追尾"));
    assert_eq!(cause.cause_level_1(), Some("行驶受损"));
    assert_eq!(cause.cause_level_2(), Some("直行"));
    assert_eq!(cause.cause_level_3(), Some("与机动车撞"));
    assert_eq!(AccidentCause::from_code("77").cause_level_1(), None);
    assert_eq!(
        AccidentCause::TABLE.headings_zh,
        [
            "代码",
            "事故情形",
            "出险原因1级",
            "出险原因2级",
            "出险原因3级"
        ]
    );
}

#[test]
fn unknown_code_is_kept() {
    let unknown = Insurer::from_code(" NEWC ");
    assert_eq!(unknown, Insurer::Unknown("NEWC".to_owned()));
    assert_eq!(unknown.code(), "NEWC");
    assert_eq!(unknown.name(), None);
    assert!(!unknown.is_known());
    assert_eq!(serde_json::to_string(&unknown).unwrap(), "\"NEWC\"");
}

#[test]
fn codes_serialize_as_code_string() {
    assert_eq!(
        serde_json::to_string(&PlateType::SmallVehicle).unwrap(),
        "\"02\""
    );
    assert_eq!(
        serde_json::from_str::<PlateType>("\"02\"").unwrap(),
        PlateType::SmallVehicle
    );
    assert_eq!(
        serde_json::from_str::<DutyProportion>("70").unwrap(),
        DutyProportion::Major
    );
    assert_eq!(
        serde_json::from_str::<YesNo>("null").unwrap(),
        YesNo::Unknown(String::new())
    );
    assert!(serde_json::from_str::<YesNo>("true").is_err());
    assert_eq!(PlateType::SmallVehicle.to_string(), "02");
}

#[test]
fn table_lookup_accepts_key_or_rust_name() {
    assert_eq!(table("PlateType").unwrap().key, "plate-type");
    assert_eq!(table(" plate-type ").unwrap().rust_name, "PlateType");
    assert!(table("nonexistent").is_none());
}

#[test]
fn tables_list_dictionaries_first() {
    let kinds: Vec<TableKind> = tables().iter().map(|table| table.kind).collect();
    let first_value_set = kinds
        .iter()
        .position(|kind| *kind == TableKind::Values)
        .unwrap();
    assert!(
        kinds[..first_value_set]
            .iter()
            .all(|kind| *kind == TableKind::Dictionary)
    );
    assert!(
        kinds[first_value_set..]
            .iter()
            .all(|kind| *kind == TableKind::Values)
    );
}

#[test]
fn table_serializes_for_listing() {
    let json = serde_json::to_value(table("yes-no").unwrap()).unwrap();
    assert_eq!(json["key"], "yes-no");
    assert_eq!(json["kind"], "values");
    assert_eq!(json["rows"][0][0], "Y");
    assert_eq!(json["titleZh"], "是否（Y/N）");
}

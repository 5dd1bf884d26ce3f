//! Coordinate conversion for report positions.
//!
//! Phones and GPS receivers report WGS-84, but the platform accepts only GCJ-02 (火星坐标系,
//! `surveyCoordinateSystem` 1) and BD-09 (百度坐标系, 2). The formulas are those of the
//! `coordtransform` crate. GCJ-02 shifts positions only inside mainland China: elsewhere,
//! Hong Kong and Macao included, WGS-84 is returned unchanged.

use crate::dict::CoordinateSystem;

/// Decimal places of a coordinate written for the platform: 6 places are about 0.1 m.
const WIRE_DECIMALS: usize = 6;

/// A position in degrees: longitude east, latitude north.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LonLat {
    /// 经度: longitude in degrees.
    pub lon: f64,
    /// 纬度: latitude in degrees.
    pub lat: f64,
}

impl LonLat {
    /// Creates a position from longitude and latitude in degrees.
    pub const fn new(lon: f64, lat: f64) -> Self {
        Self { lon, lat }
    }

    /// Converts WGS-84 to GCJ-02.
    pub fn wgs84_to_gcj02(self) -> Self {
        Self::from(coordtransform::wgs84_to_gcj02(self.lon, self.lat))
    }

    /// Converts GCJ-02 to BD-09.
    pub fn gcj02_to_bd09(self) -> Self {
        Self::from(coordtransform::gcj02_to_bd09(self.lon, self.lat))
    }

    /// Converts BD-09 to GCJ-02, refined so that converting back lands within 1e-9 degrees.
    pub fn bd09_to_gcj02(self) -> Self {
        Self::from(coordtransform::bd09_to_gcj02(self.lon, self.lat))
    }

    /// Converts a WGS-84 position to `system`; `None` when the system is not one the
    /// platform lists.
    pub fn wgs84_to(self, system: &CoordinateSystem) -> Option<Self> {
        match system {
            CoordinateSystem::Gcj02 => Some(self.wgs84_to_gcj02()),
            CoordinateSystem::Bd09 => Some(self.wgs84_to_gcj02().gcj02_to_bd09()),
            _ => None,
        }
    }

    /// Formats longitude and latitude for the platform's text fields, with 6 decimals.
    pub fn to_wire(self) -> (String, String) {
        (
            format!("{:.*}", WIRE_DECIMALS, self.lon),
            format!("{:.*}", WIRE_DECIMALS, self.lat),
        )
    }
}

impl From<(f64, f64)> for LonLat {
    fn from((lon, lat): (f64, f64)) -> Self {
        Self { lon, lat }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wgs84_to_rejects_unknown_system() {
        let point = LonLat::new(114.0, 22.5);
        assert!(
            point
                .wgs84_to(&CoordinateSystem::Unknown("3".to_owned()))
                .is_none()
        );
    }

    #[test]
    fn wgs84_to_bd09_goes_through_gcj02() {
        let point = LonLat::new(114.062016, 22.539734);
        let direct = point.wgs84_to(&CoordinateSystem::Bd09).unwrap();
        assert_eq!(direct, point.wgs84_to_gcj02().gcj02_to_bd09());
    }

    #[test]
    fn to_wire_writes_six_decimals() {
        assert_eq!(
            LonLat::new(114.1869344, 22.5604).to_wire(),
            ("114.186934".to_owned(), "22.560400".to_owned())
        );
    }

    #[test]
    fn conversion_survives_non_finite_input() {
        let point = LonLat::new(f64::NAN, f64::INFINITY);
        let _ = point.wgs84_to_gcj02().gcj02_to_bd09().bd09_to_gcj02();
    }
}

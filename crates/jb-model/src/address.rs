//! Splitting a full Chinese address into province, city, district and the rest, because the
//! report upload (`reportCaseUpload`) takes them in separate fields.

/// A province-level division: full name, short form, and how its cities are named.
struct Province {
    full: &'static str,
    short: &'static str,
    level: Level,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Level {
    /// A province or autonomous region: cities come next.
    Province,
    /// A municipality (直辖市) or special administrative region: it is its own city.
    CityLevel,
}

const fn province(full: &'static str, short: &'static str) -> Province {
    Province {
        full,
        short,
        level: Level::Province,
    }
}

const fn city_level(full: &'static str, short: &'static str) -> Province {
    Province {
        full,
        short,
        level: Level::CityLevel,
    }
}

/// The 34 province-level divisions of China.
const PROVINCES: [Province; 34] = [
    city_level("北京市", "北京"),
    city_level("天津市", "天津"),
    city_level("上海市", "上海"),
    city_level("重庆市", "重庆"),
    province("河北省", "河北"),
    province("山西省", "山西"),
    province("辽宁省", "辽宁"),
    province("吉林省", "吉林"),
    province("黑龙江省", "黑龙江"),
    province("江苏省", "江苏"),
    province("浙江省", "浙江"),
    province("安徽省", "安徽"),
    province("福建省", "福建"),
    province("江西省", "江西"),
    province("山东省", "山东"),
    province("河南省", "河南"),
    province("湖北省", "湖北"),
    province("湖南省", "湖南"),
    province("广东省", "广东"),
    province("海南省", "海南"),
    province("四川省", "四川"),
    province("贵州省", "贵州"),
    province("云南省", "云南"),
    province("陕西省", "陕西"),
    province("甘肃省", "甘肃"),
    province("青海省", "青海"),
    province("台湾省", "台湾"),
    province("内蒙古自治区", "内蒙古"),
    province("广西壮族自治区", "广西"),
    province("西藏自治区", "西藏"),
    province("宁夏回族自治区", "宁夏"),
    province("新疆维吾尔自治区", "新疆"),
    city_level("香港特别行政区", "香港"),
    city_level("澳门特别行政区", "澳门"),
];

/// Endings of prefecture-level divisions: 市, 自治州, 地区, 盟.
const CITY_SUFFIXES: [&str; 4] = ["自治州", "地区", "盟", "市"];
/// Endings of county-level divisions: 区, 县 (自治县), 市 (county-level city), 旗 (自治旗).
const DISTRICT_SUFFIXES: [&str; 4] = ["区", "县", "市", "旗"];
/// Most characters of a city name, suffix included.
const MAX_CITY_CHARS: usize = 10;
/// Most characters of a district name, suffix included, unless it is an autonomous county or
/// banner (自治县, 自治旗), whose names list the peoples and run longer.
const MAX_DISTRICT_CHARS: usize = 7;
/// Places that end like a district but are neighbourhoods or sites inside one.
const NOT_DISTRICTS: [&str; 15] = [
    "小区",
    "社区",
    "园区",
    "校区",
    "景区",
    "厂区",
    "商业区",
    "工业区",
    "开发区",
    "服务区",
    "住宅区",
    "生活区",
    "办公区",
    "片区",
    "街区",
];
/// Characters that mark a street address when they appear inside a would-be district name
/// (a leading one is allowed: 路桥区 and 路北区 are districts).
const STREET_MARKS: [char; 6] = ['路', '街', '号', '巷', '村', '镇'];

/// An address split into its administrative parts.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct AddressParts {
    /// Province-level division, in its full name (`广东省`, `北京市`); `None` when the address
    /// does not start with one.
    pub province: Option<String>,
    /// City (`深圳市`); for a municipality or special administrative region, the same as the
    /// province, as the platform expects.
    pub city: Option<String>,
    /// District or county (`罗湖区`).
    pub district: Option<String>,
    /// The detailed address after them (`华安大酒店`).
    pub rest: String,
}

/// Splits a full address such as `广东省深圳市罗湖区华安大酒店` into
/// `广东省` / `深圳市` / `罗湖区` / `华安大酒店`.
///
/// Provinces and autonomous regions are recognised by full name, or by short form (`广东`)
/// when a city follows. For the municipalities (北京市, 天津市, 上海市, 重庆市) and the special
/// administrative regions (香港, 澳门) the city is the province itself. Parts that cannot be
/// found are `None` and stay in `rest`.
///
/// NOTE: cities and districts are recognised by their endings (市, 区, 县, ...), not from a
/// register of place names. A place whose name ends like a district can therefore be taken for
/// one: common cases such as `华强北商业区` are excluded, rarer ones may not be. Check the
/// result before uploading.
pub fn split_address(address: &str) -> AddressParts {
    let mut rest = address.trim();
    let mut parts = AddressParts::default();

    let province = match_province(rest);
    if let Some((province, length)) = province {
        parts.province = Some(province.full.to_owned());
        rest = rest[length..].trim_start();
        if province.level == Level::CityLevel {
            parts.city = Some(province.full.to_owned());
            // Some writers repeat the city: 北京市北京市朝阳区.
            rest = rest
                .strip_prefix(province.full)
                .unwrap_or(rest)
                .trim_start();
        }
    }

    if parts.city.is_none()
        && let Some(length) = match_city(rest)
    {
        parts.city = Some(rest[..length].to_owned());
        rest = rest[length..].trim_start();
    }

    if let Some(length) = match_district(rest) {
        parts.district = Some(rest[..length].to_owned());
        rest = rest[length..].trim_start();
    }

    parts.rest = rest.to_owned();
    parts
}

/// Finds the province at the start of `text` and the length in bytes of its written form.
fn match_province(text: &str) -> Option<(&'static Province, usize)> {
    if let Some(province) = PROVINCES
        .iter()
        .find(|province| text.starts_with(province.full))
    {
        return Some((province, province.full.len()));
    }
    // A short form counts only when what follows confirms it (吉林市 is a city, not 吉林省).
    let province = PROVINCES
        .iter()
        .find(|province| text.starts_with(province.short))?;
    let after = &text[province.short.len()..];
    let confirmed = match province.level {
        Level::Province => match_city(after).is_some(),
        Level::CityLevel => match_district(after).is_some(),
    };
    confirmed.then_some((province, province.short.len()))
}

/// Length in bytes of the city name at the start of `text`, if there is one.
fn match_city(text: &str) -> Option<usize> {
    let length = earliest_suffix_end(text, &CITY_SUFFIXES, MAX_CITY_CHARS)?;
    let name = &text[..length];
    // A city name is at least two characters, suffix included, and is not a street.
    let plausible = name.chars().count() >= 2 && !has_street_mark(name);
    plausible.then_some(length)
}

/// Length in bytes of the district name at the start of `text`, if there is one.
fn match_district(text: &str) -> Option<usize> {
    let autonomous = ["自治县", "自治旗"]
        .iter()
        .filter_map(|suffix| text.find(suffix).map(|start| start + suffix.len()))
        .filter(|end| text[..*end].chars().count() <= 20)
        .min();
    let length =
        autonomous.or_else(|| earliest_suffix_end(text, &DISTRICT_SUFFIXES, MAX_DISTRICT_CHARS))?;
    let name = &text[..length];
    let plausible = name.chars().count() >= 2
        && !has_street_mark(name)
        && !NOT_DISTRICTS.iter().any(|place| name.ends_with(place));
    plausible.then_some(length)
}

/// Byte length of the shortest prefix of `text`, at most `max_chars` characters long, that
/// ends with one of `suffixes` and has at least one character before it.
fn earliest_suffix_end(text: &str, suffixes: &[&str], max_chars: usize) -> Option<usize> {
    let window_end = text
        .char_indices()
        .nth(max_chars)
        .map_or(text.len(), |(index, _)| index);
    let window = &text[..window_end];
    window
        .char_indices()
        .skip(1)
        .filter_map(|(index, _)| {
            let tail = &window[index..];
            suffixes
                .iter()
                .find(|suffix| tail.starts_with(**suffix))
                .map(|suffix| index + suffix.len())
        })
        .min()
}

fn has_street_mark(name: &str) -> bool {
    name.chars().skip(1).any(|c| STREET_MARKS.contains(&c))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(address: &str) -> (Option<String>, Option<String>, Option<String>, String) {
        let parts = split_address(address);
        (parts.province, parts.city, parts.district, parts.rest)
    }

    fn some(text: &str) -> Option<String> {
        Some(text.to_owned())
    }

    #[test]
    fn split_province_city_district() {
        assert_eq!(
            split("广东省深圳市罗湖区华安大酒店"),
            (
                some("广东省"),
                some("深圳市"),
                some("罗湖区"),
                "华安大酒店".to_owned()
            )
        );
    }

    #[test]
    fn split_without_district() {
        assert_eq!(
            split("广东省深圳市华安大酒店"),
            (
                some("广东省"),
                some("深圳市"),
                None,
                "华安大酒店".to_owned()
            )
        );
    }

    #[test]
    fn split_municipalities_repeat_city() {
        for (address, city, district, rest) in [
            ("北京市朝阳区建国路88号", "北京市", "朝阳区", "建国路88号"),
            (
                "上海市浦东新区世纪大道100号",
                "上海市",
                "浦东新区",
                "世纪大道100号",
            ),
            ("天津市和平区南京路1号", "天津市", "和平区", "南京路1号"),
            ("重庆市渝中区解放碑", "重庆市", "渝中区", "解放碑"),
            (
                "重庆市石柱土家族自治县南宾镇",
                "重庆市",
                "石柱土家族自治县",
                "南宾镇",
            ),
            ("北京市北京市东城区王府井", "北京市", "东城区", "王府井"),
        ] {
            assert_eq!(
                split(address),
                (some(city), some(city), some(district), rest.to_owned()),
                "{address}"
            );
        }
    }

    #[test]
    fn split_autonomous_regions() {
        assert_eq!(
            split("广西壮族自治区南宁市青秀区民族大道"),
            (
                some("广西壮族自治区"),
                some("南宁市"),
                some("青秀区"),
                "民族大道".to_owned()
            )
        );
        assert_eq!(
            split("内蒙古自治区锡林郭勒盟锡林浩特市额尔敦路"),
            (
                some("内蒙古自治区"),
                some("锡林郭勒盟"),
                some("锡林浩特市"),
                "额尔敦路".to_owned()
            )
        );
        assert_eq!(
            split("新疆维吾尔自治区伊犁哈萨克自治州伊宁市解放路"),
            (
                some("新疆维吾尔自治区"),
                some("伊犁哈萨克自治州"),
                some("伊宁市"),
                "解放路".to_owned()
            )
        );
        assert_eq!(
            split("西藏自治区阿里地区噶尔县狮泉河镇"),
            (
                some("西藏自治区"),
                some("阿里地区"),
                some("噶尔县"),
                "狮泉河镇".to_owned()
            )
        );
    }

    #[test]
    fn split_special_administrative_regions() {
        assert_eq!(
            split("香港特别行政区油尖旺区弥敦道"),
            (
                some("香港特别行政区"),
                some("香港特别行政区"),
                some("油尖旺区"),
                "弥敦道".to_owned()
            )
        );
        assert_eq!(
            split("澳门特别行政区花地玛堂区"),
            (
                some("澳门特别行政区"),
                some("澳门特别行政区"),
                some("花地玛堂区"),
                String::new()
            )
        );
    }

    #[test]
    fn split_short_province_needs_city() {
        assert_eq!(
            split("广东深圳市福田区福华路"),
            (
                some("广东省"),
                some("深圳市"),
                some("福田区"),
                "福华路".to_owned()
            )
        );
        // 吉林市 is a city of 吉林省, not the province written short.
        assert_eq!(
            split("吉林市船营区"),
            (None, some("吉林市"), some("船营区"), String::new())
        );
    }

    #[test]
    fn split_without_province() {
        assert_eq!(
            split("深圳市南山区科技园"),
            (None, some("深圳市"), some("南山区"), "科技园".to_owned())
        );
        assert_eq!(
            split("华安大酒店"),
            (None, None, None, "华安大酒店".to_owned())
        );
    }

    #[test]
    fn split_keeps_neighbourhoods_in_rest() {
        assert_eq!(
            split("广东省深圳市华强北商业区赛格广场"),
            (
                some("广东省"),
                some("深圳市"),
                None,
                "华强北商业区赛格广场".to_owned()
            )
        );
        assert_eq!(
            split("广东省深圳市福田区莲花小区"),
            (
                some("广东省"),
                some("深圳市"),
                some("福田区"),
                "莲花小区".to_owned()
            )
        );
    }

    #[test]
    fn split_county_level_city_and_district() {
        assert_eq!(
            split("江苏省苏州市昆山市前进路"),
            (
                some("江苏省"),
                some("苏州市"),
                some("昆山市"),
                "前进路".to_owned()
            )
        );
        assert_eq!(
            split("浙江省台州市路桥区"),
            (
                some("浙江省"),
                some("台州市"),
                some("路桥区"),
                String::new()
            )
        );
    }

    #[test]
    fn split_tolerates_odd_input() {
        assert_eq!(split(""), (None, None, None, String::new()));
        assert_eq!(
            split("  广东省  "),
            (some("广东省"), None, None, String::new())
        );
        assert_eq!(split("市"), (None, None, None, "市".to_owned()));
    }
}

//! Place names, roads and people's names used to generate realistic Shenzhen records.

/// A district of Shenzhen with its administrative code and a point near its centre.
#[derive(Debug)]
pub(super) struct District {
    /// 行政区: district name as written in addresses.
    pub(super) name: &'static str,
    /// Six-digit administrative division code, the prefix of accident numbers.
    pub(super) code: &'static str,
    /// Latitude near the centre, GCJ-02 degrees.
    pub(super) latitude: f64,
    /// Longitude near the centre, GCJ-02 degrees.
    pub(super) longitude: f64,
    /// Roads and places inside the district.
    pub(super) roads: &'static [&'static str],
}

/// The nine administrative districts of Shenzhen.
pub(super) const DISTRICTS: &[District] = &[
    District {
        name: "福田区",
        code: "440304",
        latitude: 22.5410,
        longitude: 114.0550,
        roads: &[
            "福华路",
            "深南大道",
            "益田路",
            "彩田路",
            "华强北路",
            "香蜜湖路",
        ],
    },
    District {
        name: "罗湖区",
        code: "440303",
        latitude: 22.5480,
        longitude: 114.1310,
        roads: &["人民南路", "东门中路", "深南东路", "宝安南路", "爱国路"],
    },
    District {
        name: "南山区",
        code: "440305",
        latitude: 22.5330,
        longitude: 113.9300,
        roads: &["高新南一道", "南海大道", "后海大道", "沙河西路", "滨海大道"],
    },
    District {
        name: "盐田区",
        code: "440308",
        latitude: 22.5570,
        longitude: 114.2370,
        roads: &["深盐路", "盐田路", "海山路"],
    },
    District {
        name: "宝安区",
        code: "440306",
        latitude: 22.5550,
        longitude: 113.8830,
        roads: &["富贵路", "宝安大道", "新安六路", "航城大道", "福永大道"],
    },
    District {
        name: "龙岗区",
        code: "440307",
        latitude: 22.7210,
        longitude: 114.2470,
        roads: &["龙岗大道", "布吉路", "深惠路", "五和大道"],
    },
    District {
        name: "龙华区",
        code: "440309",
        latitude: 22.6960,
        longitude: 114.0450,
        roads: &["民治大道", "龙华大道", "人民路", "梅龙大道"],
    },
    District {
        name: "坪山区",
        code: "440310",
        latitude: 22.6920,
        longitude: 114.3460,
        roads: &["坪山大道", "深汕路", "金牛路"],
    },
    District {
        name: "光明区",
        code: "440311",
        latitude: 22.7480,
        longitude: 113.9360,
        roads: &["光明大道", "华夏路", "公明南环大道"],
    },
];

/// Largest offset, in degrees, of a generated point from its district's centre point. At
/// Shenzhen's latitude 0.015 degrees is about 1.5 km, which keeps every point on land inside
/// the city.
pub(super) const MAX_OFFSET_DEGREES: f64 = 0.015;

/// Bounding box of Shenzhen in GCJ-02 degrees: south, west, north, east.
#[cfg(test)]
pub(super) const BOUNDS: (f64, f64, f64, f64) = (22.43, 113.75, 22.87, 114.63);

pub(super) const SURNAMES: &[&str] = &[
    "张", "王", "李", "赵", "刘", "陈", "杨", "黄", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "邓", "曾", "彭",
];

pub(super) const GIVEN_NAMES: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛", "明", "超",
    "秀英", "建华", "志强", "晓东", "嘉欣", "子轩", "雨桐", "浩然", "思远",
];

/// Mobile number prefixes of the three Chinese carriers.
pub(super) const PHONE_PREFIXES: &[&str] = &[
    "134", "135", "136", "137", "138", "139", "150", "151", "158", "159", "182", "187", "130",
    "131", "132", "155", "156", "185", "186", "133", "153", "180", "189", "199",
];

/// Letters allowed in plate numbers: no I or O, which are confused with 1 and 0.
pub(super) const PLATE_LETTERS: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ";

/// Characters of a vehicle identification number: digits and letters other than I, O and Q.
pub(super) const VIN_CHARACTERS: &[u8] = b"0123456789ABCDEFGHJKLMNPRSTUVWXYZ";

/// Police call texts; `{road}` is replaced by a road.
pub(super) const WARNING_TEMPLATES: &[&str] = &[
    "{road}两辆小车刮碰，无人受伤，双方对责任有争议，请求处理。",
    "{road}路口小车追尾，无人受伤，车辆可以移动。",
    "报警称在{road}倒车时碰到后方车辆，无人受伤。",
    "{road}一辆小车与路边护栏发生碰撞，驾驶人无受伤。",
    "{road}变道时与相邻车道车辆刮擦，双方已停车等候处理。",
    "{road}停放的车辆被其他车辆碰撞，对方未离开现场。",
];

pub(super) const CANCEL_REASONS: &[&str] =
    &["客户取消", "客户已自行协商处理", "重复报案", "现场无需查勘"];

//! The generator's raw material: the seeded PRNG, the name lists, the
//! joint meetings' topics, and small helpers for names and shares. No rows
//! are made here (see `generate`).

/// splitmix64: tiny, fast, and plenty for plausible names and sizes.
pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    /// The next 64 random bits.
    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `lo..=hi`.
    pub(crate) fn range(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        lo + (self.next() % (hi - lo + 1) as u64) as i64
    }

    /// An index below `n` (which must not be 0).
    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// True `percent` times in a hundred.
    pub(crate) fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    /// One item of a non-empty slice.
    pub(crate) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Common surnames, the most frequent first (they are drawn more often).
pub(crate) const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾",
    "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁",
    "任", "沈", "姚", "卢", "姜", "崔", "钟", "谭", "陆", "汪", "范", "金", "石", "廖", "贾", "夏",
    "韦", "付", "方", "白", "邹", "孟", "熊", "秦", "邱", "江", "尹", "薛", "段", "雷", "侯", "龙",
];

/// Characters of men's given names.
pub(crate) const MALE_CHARS: &[&str] = &[
    "伟", "强", "磊", "军", "勇", "杰", "涛", "明", "超", "辉", "华", "平", "刚", "斌", "鹏", "飞",
    "宇", "浩", "俊", "峰", "建", "国", "志", "文", "海", "波", "东", "林", "成", "龙", "晨", "博",
    "轩", "子", "豪", "凯", "旭", "鑫", "亮", "健", "德", "荣", "永", "庆", "立", "新",
];

/// Characters of women's given names.
pub(crate) const FEMALE_CHARS: &[&str] = &[
    "芳", "娜", "敏", "静", "丽", "艳", "娟", "霞", "燕", "玲", "婷", "雪", "慧", "莉", "萍", "红",
    "琳", "颖", "倩", "洁", "佳", "欣", "怡", "梅", "兰", "月", "秀", "英", "桂", "珍", "晶", "蕾",
    "璐", "瑶", "琪", "彤", "媛", "悦", "诗", "雨", "凤", "云",
];

/// Community names.
pub(crate) const COMMUNITY_NAMES: &[&str] = &[
    "翠苑社区",
    "东湖社区",
    "桃园社区",
    "新华社区",
    "团结社区",
    "幸福社区",
    "锦绣社区",
    "和平社区",
    "光明社区",
    "青山社区",
];

/// Commodity-housing compound names.
pub(crate) const COMMODITY_NAMES: &[&str] = &[
    "翠苑一区",
    "金色家园",
    "东湖名苑",
    "锦绣华庭",
    "阳光新城",
    "滨湖花园",
    "书香雅苑",
    "御景湾",
    "东湖春晓",
    "天悦府",
];

/// Old compound names: former work units' housing.
pub(crate) const OLD_NAMES: &[&str] = &[
    "纺织厂宿舍",
    "机床厂小区",
    "粮食局家属院",
    "铁路新村",
    "水电宿舍",
    "邮电小区",
    "供销社宿舍",
    "园林局小区",
];

/// Village-to-residence compound names.
pub(crate) const VILLAGE_NAMES: &[&str] = &[
    "桃园村还建小区",
    "东村还建小区",
    "李家墩还建小区",
    "张家湾还建小区",
    "王家店还建小区",
    "刘湾还建小区",
];

/// Industrial zone names: dormitory areas run by an operator.
pub(crate) const ZONE_NAMES: &[&str] = &["东湖工业园宿舍区", "光谷产业园宿舍区"];

/// Bungalow area names.
pub(crate) const BUNGALOW_NAMES: &[&str] = &[
    "团结路平房片区",
    "老城平房片区",
    "解放巷平房片区",
    "胜利街平房片区",
    "文化路平房片区",
    "北门平房片区",
    "南关平房片区",
    "河滨平房片区",
    "东关平房片区",
    "西城平房片区",
    "红旗平房片区",
    "建设路平房片区",
];

/// Commercial street names.
pub(crate) const COMMERCIAL_NAMES: &[&str] = &[
    "东湖商业步行街",
    "美食街商区",
    "建材市场商区",
    "夜市商区",
    "五金街商区",
];

/// Words alley names are made of ("团结一巷").
pub(crate) const ALLEY_WORDS: &[&str] = &[
    "团结", "幸福", "和平", "友谊", "光明", "胜利", "建设", "民主", "向阳", "红星", "文化", "育才",
    "兴隆", "永安", "富强", "安康", "长寿", "吉祥", "如意", "春风",
];

/// Roads for compound addresses.
pub(crate) const ROADS: &[&str] = &[
    "东湖路",
    "中北路",
    "八一路",
    "珞喻路",
    "武珞路",
    "徐东大街",
    "团结大道",
    "和平大道",
];

/// Pioneer posts party members hold (党员先锋岗).
pub(crate) const PIONEER_POSTS: &[&str] = &[
    "党员先锋岗·楼道管家",
    "党员先锋岗·邻里调解",
    "党员先锋岗·政策宣讲",
    "党员先锋岗·助老服务",
    "党员先锋岗·垃圾分类督导",
    "党员先锋岗·安全巡查",
    "党员先锋岗·文明劝导",
];

/// Property companies: name, own party organisation (红色物业), star rating.
pub(crate) const COMPANIES: &[(&str, Option<&str>, i32)] = &[
    (
        "东湖物业服务有限公司",
        Some("东湖物业服务有限公司党支部"),
        5,
    ),
    (
        "湖城物业管理有限公司",
        Some("湖城物业管理有限公司党总支"),
        4,
    ),
    ("安居物业服务有限公司", None, 3),
    (
        "锦华物业服务有限公司",
        Some("锦华物业服务有限公司党支部"),
        4,
    ),
    ("恒信物业管理有限公司", None, 2),
    ("惠民商业运营管理有限公司", None, 3),
];

/// Chinese numerals for ordinal names ("第十二网格").
pub(crate) fn chinese_number(n: usize) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => DIGITS[n].to_owned(),
        10..=19 => format!("十{}", if n == 10 { "" } else { DIGITS[n % 10] }),
        20..=99 => format!(
            "{}十{}",
            DIGITS[n / 10],
            if n.is_multiple_of(10) {
                ""
            } else {
                DIGITS[n % 10]
            }
        ),
        _ => n.to_string(),
    }
}

/// The `i`-th name of a list, with a phase suffix once the list runs out.
pub(crate) fn nth_name(list: &[&str], i: usize) -> String {
    let base = list[i % list.len()];
    match i / list.len() {
        0 => base.to_owned(),
        round => format!("{base}{}期", chinese_number(round + 1)),
    }
}

/// `total` split into `parts` nearly equal shares.
pub(crate) fn split_even(total: usize, parts: usize) -> Vec<usize> {
    (0..parts)
        .map(|i| (i + 1) * total / parts - i * total / parts)
        .collect()
}

/// `total` split into `parts` shares that vary by up to `jitter` while
/// keeping the sum and every share at least `min` (when the even share is).
pub(crate) fn split_varied(
    rng: &mut Rng,
    total: usize,
    parts: usize,
    min: usize,
    jitter: i64,
) -> Vec<usize> {
    let mut shares = split_even(total, parts);
    for i in (0..parts.saturating_sub(1)).step_by(2) {
        let d = rng.range(-jitter, jitter);
        let (a, b) = (shares[i] as i64 + d, shares[i + 1] as i64 - d);
        if a >= min as i64 && b >= min as i64 {
            shares[i] = a as usize;
            shares[i + 1] = b as usize;
        }
    }
    shares
}

/// What a joint meeting is about.
pub(crate) struct Topic {
    /// Title; `{year}` and `{quarter}` are filled in from the meeting day.
    pub(crate) title: &'static str,
    /// Agenda.
    pub(crate) agenda: &'static str,
    /// Minutes.
    pub(crate) minutes: &'static str,
    /// Resolutions adopted, in order.
    pub(crate) resolutions: &'static [&'static str],
}

/// The joint meetings' topics.
pub(crate) const TOPICS: [Topic; 4] = [
    Topic {
        title: "{year}年第{quarter}季度三方联席会议",
        agenda: "一、通报本季度物业服务及安全隐患排查情况;二、研究地下车库渗水维修方案;三、讨论垃圾分类投放点调整",
        minutes: "会议由小区党支部书记主持。物业服务企业通报了本季度服务情况和车库渗水点位;业主委员会反映了业主意见。三方逐项讨论,形成决议如下。",
        resolutions: &[
            "物业服务企业于30日内完成地下车库渗水点修复,业主委员会全程监督并组织验收",
            "垃圾分类投放点由4处调整为6处,由党员先锋岗志愿者在早晚高峰值守督导",
            "下季度联席会议通报整改结果并向全体业主公示",
        ],
    },
    Topic {
        title: "关于使用专项维修资金更换电梯的三方联席会议",
        agenda: "一、听取电梯检验报告;二、研究使用专项维修资金更换3号楼电梯的方案;三、确定提交业主大会表决的事项",
        minutes: "电梯检验报告显示3号楼两部电梯已达报废年限。三方一致同意启动专项维修资金使用程序,方案提交业主大会表决。",
        resolutions: &[
            "拟使用专项维修资金更换3号楼两部电梯,方案提交业主大会表决(民法典第二百七十八条第五项)",
            "表决前由业主委员会将方案、预算和报价在小区公示栏及业主群公示不少于7日",
        ],
    },
    Topic {
        title: "小区停车秩序整治三方联席会议",
        agenda: "一、通报消防通道占用情况;二、研究停车位划线及临时停车管理办法",
        minutes: "网格员通报近一个月巡查发现消防通道占用12起。三方议定整治措施。",
        resolutions: &[
            "物业服务企业于两周内完成消防通道标线和警示牌设置",
            "临时停车管理办法(草案)由业主委员会征求业主意见后提交业主大会",
        ],
    },
    Topic {
        title: "出租房屋安全管理三方联席会议",
        agenda: "一、通报出租楼栋消防安全检查情况;二、落实出租楼栋楼栋长",
        minutes: "社区网格员通报出租楼栋电动车违规充电问题。党支部提出由房东落实楼栋长,物业配合日常巡查。",
        resolutions: &[
            "每栋出租楼由房东提供一名楼栋长,报社区备案",
            "物业服务企业在各出租楼栋增设电动车集中充电点",
        ],
    },
];

/// The districts of the city data set, with their division codes; the
/// demo's 武昌区 first.
pub(crate) const DISTRICTS: &[(&str, &str)] = &[
    ("武昌区", "420106"),
    ("洪山区", "420111"),
    ("江岸区", "420102"),
    ("江汉区", "420103"),
    ("硚口区", "420104"),
    ("汉阳区", "420105"),
    ("青山区", "420107"),
    ("东西湖区", "420112"),
    ("汉南区", "420113"),
    ("蔡甸区", "420114"),
    ("江夏区", "420115"),
    ("黄陂区", "420116"),
    ("新洲区", "420117"),
    ("东湖新区", "420118"),
];

/// Subdistrict names of the city data set after the demo's own; a name
/// past the list's end gets a number (see `Place::nth`).
pub(crate) const SUBDISTRICTS: &[&str] = &[
    "水果湖街道",
    "中华路街道",
    "黄鹤楼街道",
    "紫阳街道",
    "白沙洲街道",
    "首义路街道",
    "南湖街道",
    "珞珈山街道",
    "杨园街道",
    "积玉桥街道",
    "粮道街道",
    "徐家棚街道",
    "中南路街道",
    "石洞街道",
    "关山街道",
    "卓刀泉街道",
    "洪山街道",
    "狮子山街道",
    "张家湾街道",
    "梨园街道",
    "和平街道",
    "青菱街道",
    "花山街道",
    "九峰街道",
    "大智街道",
    "一元街道",
    "车站街道",
    "四唯街道",
    "永清街道",
    "西马街道",
    "球场街道",
    "劳动街道",
    "二七街道",
    "新村街道",
    "丹水池街道",
    "台北街道",
    "花桥街道",
    "后湖街道",
    "塔子湖街道",
    "谌家矶街道",
    "民族街道",
    "花楼街道",
    "水塔街道",
    "民权街道",
    "满春街道",
    "民意街道",
    "新华街道",
    "万松街道",
    "唐家墩街道",
    "北湖街道",
    "常青街道",
    "汉兴街道",
    "前进街道",
    "荣华街道",
    "易家街道",
    "汉正街道",
    "六角亭街道",
    "宝丰街道",
    "荣华里街道",
    "汉中街道",
    "古田街道",
    "韩家墩街道",
    "宗关街道",
    "汉水桥街道",
    "长丰街道",
    "易家墩街道",
    "建桥街道",
    "鹦鹉街道",
    "洲头街道",
    "五里墩街道",
    "琴断口街道",
    "江汉二桥街道",
    "永丰街道",
    "江堤街道",
    "四新街道",
    "建港街道",
    "晴川街道",
    "龙阳街道",
    "红钢城街道",
    "新沟桥街道",
    "红卫路街道",
    "冶金街道",
    "新青街道",
    "厂前街道",
    "钢都街道",
    "武东街道",
    "工人村街道",
    "青山镇街道",
    "白玉山街道",
    "戴家湖街道",
];

/// The name of the extra large commodity compound (`Scale::large_compound`).
pub(crate) const LARGE_COMPOUND_NAME: &str = "百步亭万家花园";

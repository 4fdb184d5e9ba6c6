//! `brokercomp sample`: a deterministic generator of realistic months.
//!
//! A branch of two teams with three groups each under group leaders, managers stationed at
//! partner-bank outlets (probationers, part-time brokers, group leaders), clients with
//! log-normal net commission and a heavy tail, 70/30 development/service splits (3% of
//! clients have a service manager, so a month of N clients has about 1.03 N crm rows), account
//! openings of every type (some below the valid thresholds, some by returning clients),
//! adjustments and duty scores, and hires, leavers, regularisations and level changes over the
//! months. Files are written the way CRM systems export them: Chinese headers, a title row
//! above the header, a 合计 row at the bottom. The same seed gives the same files.

use std::path::Path;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, LogNormal, Normal};
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use crate::calendar::{Date, YearMonth};

pub const TEAMS: [&str; 2] = ["天琪团队", "鹏程团队"];
pub const GROUPS: [&str; 3] = ["一组", "二组", "三组"];
/// (code, name, team index)
pub const OUTLETS: [(&str, &str, usize); 6] = [
    ("JTGX", "交通银行岗厦支行", 0),
    ("ZSFT", "招商银行福田支行", 0),
    ("GSCH", "工商银行车公庙支行", 0),
    ("JSHQ", "建设银行华强支行", 1),
    ("NYXM", "农业银行香蜜湖支行", 1),
    ("ZGJB", "中国银行景田支行", 1),
];
const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "林", "罗",
    "高",
];
const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英", "霞",
    "平", "刚", "桂英", "建华", "晓东", "海燕", "志强",
];

#[derive(Clone)]
struct Person {
    id: String,
    name: String,
    team: usize,
    group: usize,
    outlet: usize,
    /// "T", "L1", "L2", "L3" or "P"
    level: &'static str,
    part_time: bool,
    leader: bool,
    hire: Date,
    regular: Option<Date>,
    leave: Option<Date>,
}

impl Person {
    fn active(&self, m: YearMonth) -> bool {
        self.hire <= m.last_day() && self.leave.is_none_or(|l| l >= m.first_day())
    }
}

struct Client {
    id: String,
    name: String,
    /// index into people
    developer: usize,
    service: Option<usize>,
    opened: YearMonth,
    scale: f64,
    active: bool,
    /// A client who opens an account, collects the bonus and empties it (SPEC §4.9): from this
    /// month on its month-end assets are the few yuan left in it.
    empties: Option<(YearMonth, f64)>,
}

fn name(rng: &mut ChaCha8Rng) -> String {
    let s = SURNAMES[rng.random_range(0..SURNAMES.len())];
    let g = GIVEN[rng.random_range(0..GIVEN.len())];
    format!("{s}{g}")
}

fn day_in(rng: &mut ChaCha8Rng, m: YearMonth) -> Date {
    Date::new(m.year, m.month, rng.random_range(1..=m.days())).expect("valid day")
}

fn add_months(d: Date, n: u32) -> Date {
    let mut m = d.year_month();
    for _ in 0..n {
        m = m.next();
    }
    Date::new(m.year, m.month, d.day.min(m.days())).expect("valid day")
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// Write the months `from..=to` into `out/<YYYY-MM>/`.
///
/// # Errors
/// A message when a file cannot be written.
pub fn generate(
    out: &Path,
    from: YearMonth,
    to: YearMonth,
    managers: u32,
    clients: u32,
    seed: u64,
) -> Result<(), String> {
    if clients > 1_000_000 {
        return Err(format!("--clients {clients}: at most 1,000,000 clients fit one CRM sheet"));
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    // Who empties their account: drawn from a stream of its own, so that every other figure is
    // the one the main stream gives (pay figures of the sample do not depend on it).
    let mut drain = ChaCha8Rng::seed_from_u64(seed ^ 0x636c_6177_6261_636b);
    let width = (managers.max(100) as f64 * 3.0).log10().ceil() as usize;
    let mut next_id = 1u32;
    let new_id = |next: &mut u32| {
        let id = format!("{}{:0width$}", 8, *next);
        *next += 1;
        id
    };
    // Initial staff: every group gets a leader; the rest spread over groups.
    let mut people: Vec<Person> = Vec::new();
    let start = from;
    for i in 0..managers.max(7) {
        let team = (i as usize) % 2;
        let group = (i as usize / 2) % 3;
        let leader = i < 6;
        let r: f64 = rng.random();
        let (level, part_time) = if leader {
            (if r < 0.5 { "L2" } else { "L3" }, false)
        } else if r < 0.14 {
            ("P", true)
        } else if r < 0.26 {
            ("T", false)
        } else if r < 0.66 {
            ("L1", false)
        } else if r < 0.88 {
            ("L2", false)
        } else {
            ("L3", false)
        };
        let hire = if level == "T" {
            // Probationers joined within the last two months.
            day_in(&mut rng, if r < 0.2 { start.prev() } else { start.prev().prev() })
        } else {
            Date::new(rng.random_range(2015..2025), rng.random_range(1..=12), rng.random_range(1..=28)).expect("valid")
        };
        let regular = if part_time || level == "T" { None } else { Some(add_months(hire, 3)) };
        let outlet = team * 3 + rng.random_range(0..3);
        people.push(Person {
            id: new_id(&mut next_id),
            name: name(&mut rng),
            team,
            group,
            outlet,
            level,
            part_time,
            leader,
            hire,
            regular,
            leave: None,
        });
    }
    let mut client_list: Vec<Client> = Vec::with_capacity(clients as usize);
    let eligible = |people: &[Person], m: YearMonth| -> Vec<usize> {
        people.iter().enumerate().filter(|(_, p)| p.active(m) && p.leave.is_none()).map(|(i, _)| i).collect()
    };
    let scale_dist = LogNormal::new(0.0f64, 1.25).expect("valid");
    let mut next_client = 1u64;
    let new_client = |rng: &mut ChaCha8Rng, next: &mut u64, pool: &[usize], opened: YearMonth| -> Client {
        let developer = pool[rng.random_range(0..pool.len())];
        let service = if rng.random_bool(0.03) {
            Some(pool[rng.random_range(0..pool.len())]).filter(|s| *s != developer)
        } else {
            None
        };
        let mut scale = scale_dist.sample(rng);
        if rng.random_bool(0.01) {
            scale *= 25.0; // the heavy tail: a few very large clients
        }
        let c = Client {
            id: format!("3100{:08}", *next),
            name: name(rng),
            developer,
            service,
            opened,
            scale,
            active: rng.random_bool(0.8),
            empties: None,
        };
        *next += 1;
        c
    };
    {
        let pool = eligible(&people, start);
        // The book before the first month; its openings bring the month to about `clients`.
        for _ in 0..(f64::from(clients) / 1.04) as u32 {
            let opened = YearMonth::new(rng.random_range(2012..2025), rng.random_range(1..=12)).expect("valid");
            client_list.push(new_client(&mut rng, &mut next_client, &pool, opened));
        }
    }

    let mut month = from;
    loop {
        // Personnel changes of the month (none in the first month: it is the starting point).
        if month > from {
            // Leavers stay in `people` (clients point into it) but drop off the roster.
            let n = people.iter().filter(|p| p.active(month)).count();
            let hires = rng.random_range(0..=2usize) + usize::from(n < managers as usize);
            for _ in 0..hires {
                let team = rng.random_range(0..2);
                let part_time = rng.random_bool(0.2);
                let hire = day_in(&mut rng, month);
                people.push(Person {
                    id: new_id(&mut next_id),
                    name: name(&mut rng),
                    team,
                    group: rng.random_range(0..3),
                    outlet: team * 3 + rng.random_range(0..3),
                    level: if part_time { "P" } else { "T" },
                    part_time,
                    leader: false,
                    hire,
                    regular: None,
                    leave: None,
                });
            }
            if rng.random_bool(0.7) {
                let cands: Vec<usize> = (0..people.len())
                    .filter(|&i| !people[i].leader && people[i].leave.is_none() && people[i].hire < month.first_day())
                    .collect();
                if !cands.is_empty() {
                    let i = cands[rng.random_range(0..cands.len())];
                    people[i].leave = Some(day_in(&mut rng, month));
                }
            }
            // 转正: three months after hire, the roster shows L1 with the date.
            for p in people.iter_mut().filter(|p| p.level == "T") {
                let due = add_months(p.hire, 3);
                if due.year_month() == month {
                    p.level = "L1";
                    p.regular = Some(due);
                }
            }
            // Level changes at the start of a quarter, as the review proposed.
            if matches!(month.month, 1 | 4 | 7 | 10) {
                for p in people.iter_mut().filter(|p| !p.part_time && p.regular.is_some_and(|r| r < month.first_day()))
                {
                    let roll: f64 = rng.random();
                    p.level = match (p.level, roll) {
                        ("L1", r) if r < 0.12 => "L2",
                        ("L2", r) if r < 0.08 => "L3",
                        ("L2", r) if r > 0.95 && !p.leader => "L1",
                        ("L3", r) if r > 0.95 && !p.leader => "L2",
                        (l, _) => l,
                    };
                }
            }
            let pool = eligible(&people, month);
            // Clients of people who left are taken over by a colleague.
            for c in client_list.iter_mut() {
                if !people
                    .get(c.developer)
                    .is_some_and(|p| p.active(month) && p.leave.is_none_or(|l| l >= month.last_day()))
                {
                    c.developer = pool[rng.random_range(0..pool.len())];
                }
                if let Some(s) = c.service {
                    if !people.get(s).is_some_and(|p| p.active(month)) || s == c.developer {
                        c.service = None;
                    }
                }
            }
        }
        // New clients of the month (about 4% of the book), the first month too.
        let pool = eligible(&people, month);
        let openings = (clients as f64 * 0.04 * rng.random_range(0.8..1.2)) as usize;
        for _ in 0..openings {
            let mut c = new_client(&mut rng, &mut next_client, &pool, month);
            // A few clients who do not trade empty the account one to three months later.
            if !c.active && drain.random_bool(0.25) {
                let mut from = month;
                for _ in 0..drain.random_range(1..=3) {
                    from = from.next();
                }
                c.empties = Some((from, round2(drain.random_range(0.0..900.0))));
            }
            client_list.push(c);
        }
        write_month(out, month, &people, &client_list, &mut rng).map_err(|e| format!("{month}: {e}"))?;
        if month >= to {
            break;
        }
        month = month.next();
    }
    Ok(())
}

fn title(ws: &mut Worksheet, title: &str, month: YearMonth) -> Result<(), XlsxError> {
    ws.write_string(0, 0, title)?;
    ws.write_string(1, 0, format!("导出日期：{}-01  统计月份：{month}", month.next()))?;
    Ok(())
}

fn headers(ws: &mut Worksheet, row: u32, h: &[&str], bold: &Format) -> Result<(), XlsxError> {
    for (c, s) in h.iter().enumerate() {
        ws.write_string_with_format(row, c as u16, *s, bold)?;
    }
    Ok(())
}

fn write_month(
    out: &Path,
    month: YearMonth,
    people: &[Person],
    clients: &[Client],
    rng: &mut ChaCha8Rng,
) -> Result<(), String> {
    let dir = out.join(month.to_string());
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let xe = |e: XlsxError| e.to_string();
    let bold = Format::new().set_bold();
    let pct = Format::new().set_num_format("0%");
    let date_fmt = Format::new().set_num_format("yyyy-mm-dd");
    // Fixed document dates: the same seed gives byte-identical files.
    let created = rust_xlsxwriter::ExcelDateTime::from_ymd(month.year as u16, month.month as u8, 1).map_err(xe)?;
    let props = rust_xlsxwriter::DocProperties::new()
        .set_title("sample")
        .set_company("brokercomp sample")
        .set_author("brokercomp")
        .set_creation_datetime(&created);
    let level_label = |l: &str| match l {
        "T" => "见习客户经理",
        "L1" => "客户经理",
        "L2" => "高级客户经理",
        "L3" => "资深客户经理",
        _ => "兼职经纪人",
    };
    let xl_date = |d: Date| rust_xlsxwriter::ExcelDateTime::from_ymd(d.year as u16, d.month as u8, d.day as u8);

    // Roster.
    let mut wb = Workbook::new();
    wb.set_properties(&props);
    let ws = wb.add_worksheet();
    ws.set_name("人员名册").map_err(xe)?;
    title(ws, &format!("营业部人员名册 {month}"), month).map_err(xe)?;
    headers(
        ws,
        2,
        &[
            "工号",
            "姓名",
            "团队",
            "小组",
            "驻点网点",
            "职级",
            "用工性质",
            "入职日期",
            "转正日期",
            "离职日期",
            "是否组长",
        ],
        &bold,
    )
    .map_err(xe)?;
    let mut row = 3;
    for p in people.iter().filter(|p| p.active(month)) {
        ws.write_string(row, 0, &p.id).map_err(xe)?;
        ws.write_string(row, 1, &p.name).map_err(xe)?;
        ws.write_string(row, 2, TEAMS[p.team]).map_err(xe)?;
        ws.write_string(row, 3, GROUPS[p.group]).map_err(xe)?;
        ws.write_string(row, 4, OUTLETS[p.outlet].1).map_err(xe)?;
        ws.write_string(row, 5, level_label(p.level)).map_err(xe)?;
        ws.write_string(row, 6, if p.part_time { "兼职" } else { "员工" }).map_err(xe)?;
        ws.write_datetime_with_format(row, 7, &xl_date(p.hire).map_err(xe)?, &date_fmt).map_err(xe)?;
        if let Some(r) = p.regular.filter(|r| r.year_month() <= month) {
            ws.write_datetime_with_format(row, 8, &xl_date(r).map_err(xe)?, &date_fmt).map_err(xe)?;
        }
        if let Some(l) = p.leave {
            ws.write_datetime_with_format(row, 9, &xl_date(l).map_err(xe)?, &date_fmt).map_err(xe)?;
        }
        ws.write_string(row, 10, if p.leader { "是" } else { "否" }).map_err(xe)?;
        row += 1;
    }
    ws.write_string(row, 0, "合计").map_err(xe)?;
    ws.write_string(row, 1, format!("{} 人", row - 3)).map_err(xe)?;
    crate::output::save_workbook(&mut wb, &dir.join(format!("roster_{month}.xlsx"))).map_err(xe)?;

    // CRM: one row per client–manager relationship.
    let nc_noise = LogNormal::new(0.0f64, 0.35).expect("valid");
    let flow = Normal::new(0.0f64, 0.06).expect("valid");
    let mut wb = Workbook::new();
    wb.set_properties(&props);
    let ws = wb.add_worksheet_with_constant_memory().map_err(xe)?;
    ws.set_name("明细").map_err(xe)?;
    title(ws, &format!("客户业绩明细 {month}"), month).map_err(xe)?;
    headers(
        ws,
        2,
        &[
            "客户号",
            "客户姓名",
            "客户经理编号",
            "关系类型",
            "分配比例",
            "月末资产（元）",
            "日均资产",
            "资金净流入",
            "交易量",
            "净佣金",
            "其他净收入",
        ],
        &bold,
    )
    .map_err(xe)?;
    let mut row = 3u32;
    let mut sums = [0f64; 6];
    let mut new_clients: Vec<&Client> = Vec::new();
    for c in clients.iter().filter(|c| c.opened <= month) {
        if c.opened == month {
            new_clients.push(c);
        }
        // A new client funds its account or not; an old one trades or sleeps.
        let assets = round2(if c.opened == month && rng.random_bool(0.25) {
            rng.random_range(0.0..9_000.0)
        } else {
            150_000.0 * c.scale * rng.random_range(0.9..1.1)
        });
        let avg = round2(assets * rng.random_range(0.85..1.05));
        let inflow = round2(assets * flow.sample(rng) + if c.opened == month { assets * 0.8 } else { 0.0 });
        let nc = if c.active { round2(70.0 * c.scale * nc_noise.sample(rng)) } else { 0.0 };
        let volume = round2(nc / 0.00025);
        let other = if rng.random_bool(0.3) { round2(assets * 0.0006 * rng.random::<f64>()) } else { 0.0 };
        // An emptied account: only its assets show it (commission, revenue and inflow are the
        // main stream's, so the sample's pay does not depend on who empties).
        let (assets, avg) = match c.empties {
            Some((from, left)) if from <= month => (left, left),
            _ => (assets, avg),
        };
        let rel: Vec<(usize, &str, f64)> = match c.service {
            Some(s) => vec![(c.developer, "开发", 0.7), (s, "服务", 0.3)],
            None => vec![(c.developer, "开发", 1.0)],
        };
        for (m, r, share) in rel {
            ws.write_string(row, 0, &c.id).map_err(xe)?;
            ws.write_string(row, 1, &c.name).map_err(xe)?;
            ws.write_string(row, 2, &people[m].id).map_err(xe)?;
            ws.write_string(row, 3, r).map_err(xe)?;
            ws.write_number_with_format(row, 4, share, &pct).map_err(xe)?;
            for (k, v) in [assets, avg, inflow, volume, nc, other].iter().enumerate() {
                ws.write_number(row, 5 + k as u16, *v).map_err(xe)?;
                sums[k] += v;
            }
            row += 1;
        }
    }
    ws.write_string(row, 0, "合计").map_err(xe)?;
    for (k, v) in sums.iter().enumerate() {
        ws.write_number(row, 5 + k as u16, round2(*v)).map_err(xe)?;
    }
    crate::output::save_workbook(&mut wb, &dir.join(format!("crm_{month}.xlsx"))).map_err(xe)?;

    // Account openings: new clients (one or more types), plus a few returning clients.
    let mut wb = Workbook::new();
    wb.set_properties(&props);
    let ws = wb.add_worksheet_with_constant_memory().map_err(xe)?;
    ws.set_name("开户明细").map_err(xe)?;
    title(ws, &format!("开户明细 {month}"), month).map_err(xe)?;
    headers(ws, 2, &["资金账号", "客户姓名", "开户日期", "账户类型", "开发人员编号", "营业网点", "首次入金"], &bold)
        .map_err(xe)?;
    let mut row = 3u32;
    let mut deposits = 0f64;
    let old: Vec<&Client> = clients.iter().filter(|c| c.opened < month && c.opened >= month.prev().prev()).collect();
    let returning: Vec<&Client> = (0..(new_clients.len() / 40))
        .filter(|_| !old.is_empty())
        .map(|_| old[rng.random_range(0..old.len())])
        .collect();
    for c in new_clients.iter().chain(returning.iter()) {
        let mut types = vec!["A股"];
        for (t, p) in [("创业板", 0.3), ("基金", 0.08), ("B股", 0.02), ("机构", 0.01)] {
            if rng.random_bool(p) {
                types.push(t);
            }
        }
        if c.opened < month {
            types = vec!["基金"];
        }
        let dev = &people[c.developer];
        for t in types {
            let deposit = round2(if rng.random_bool(0.2) {
                rng.random_range(500.0..9_999.0)
            } else {
                rng.random_range(10_000.0..300_000.0)
            });
            ws.write_string(row, 0, &c.id).map_err(xe)?;
            ws.write_string(row, 1, &c.name).map_err(xe)?;
            ws.write_datetime_with_format(row, 2, &xl_date(day_in(rng, month)).map_err(xe)?, &date_fmt).map_err(xe)?;
            ws.write_string(row, 3, t).map_err(xe)?;
            ws.write_string(row, 4, &dev.id).map_err(xe)?;
            ws.write_string(row, 5, OUTLETS[dev.outlet].1).map_err(xe)?;
            ws.write_number(row, 6, deposit).map_err(xe)?;
            deposits += deposit;
            row += 1;
        }
    }
    ws.write_string(row, 0, "合计").map_err(xe)?;
    ws.write_number(row, 6, round2(deposits)).map_err(xe)?;
    crate::output::save_workbook(&mut wb, &dir.join(format!("accounts_{month}.xlsx"))).map_err(xe)?;

    // Adjustments and duty scores.
    let active: Vec<&Person> = people.iter().filter(|p| p.active(month)).collect();
    let mut wb = Workbook::new();
    wb.set_properties(&props);
    let ws = wb.add_worksheet();
    ws.set_name("手工调整").map_err(xe)?;
    title(ws, &format!("手工调整 {month}"), month).map_err(xe)?;
    headers(ws, 2, &["工号", "金额", "类别", "说明"], &bold).map_err(xe)?;
    let mut row = 3u32;
    for p in &active {
        let roll: f64 = rng.random();
        let adj = if roll < 0.05 {
            Some((500.0, "奖励", "优秀营销案例"))
        } else if roll < 0.09 {
            Some((-100.0, "考勤扣款", "迟到两次"))
        } else if roll < 0.11 {
            Some((-350.0, "物品赔偿", "宣传展架损坏"))
        } else {
            None
        };
        if let Some((a, cat, why)) = adj {
            ws.write_string(row, 0, &p.id).map_err(xe)?;
            ws.write_number(row, 1, a).map_err(xe)?;
            ws.write_string(row, 2, cat).map_err(xe)?;
            ws.write_string(row, 3, why).map_err(xe)?;
            row += 1;
        }
    }
    crate::output::save_workbook(&mut wb, &dir.join(format!("adjustments_{month}.xlsx"))).map_err(xe)?;

    let mut wb = Workbook::new();
    wb.set_properties(&props);
    let ws = wb.add_worksheet();
    ws.set_name("职责考核").map_err(xe)?;
    title(ws, &format!("职责考核 {month}"), month).map_err(xe)?;
    headers(ws, 2, &["工号", "姓名", "职责得分"], &bold).map_err(xe)?;
    for (row, p) in (3u32..).zip(active.iter().filter(|p| !p.part_time)) {
        ws.write_string(row, 0, &p.id).map_err(xe)?;
        ws.write_string(row, 1, &p.name).map_err(xe)?;
        ws.write_number(row, 2, f64::from(rng.random_range(50..=100u32))).map_err(xe)?;
    }
    crate::output::save_workbook(&mut wb, &dir.join(format!("scores_{month}.xlsx"))).map_err(xe)?;
    Ok(())
}

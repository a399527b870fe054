//! The demo's sample records after the reform, written through the
//! register's operations (each audited like a user's): what a commune's
//! officer finds waiting on the first day, so that no page opens empty:
//! applicants, a likely duplicate, transfers to confirm, households,
//! positions, titles, ratings, profiles, a member on leave, reports on
//! tasks.

use crate::sample::{Joining, Rng, Serials, members};
use anyhow::Result;
use hnd_app::{Actor, AddMember, App, TaskReport};
use hnd_domain::person::{HouseholdCategory, HouseholdRole};
use hnd_domain::profile::{
    AwardLevel, GeneralGrade, NewRating, NewRole, NewTitle, Occupation, Position, Rating, TitleKind, Year,
};
use hnd_domain::{BirthDate, Day, Level, Sex};
use hnd_store::{Member, MemberQuery, NewMember, Unit};
use std::collections::BTreeMap;

/// What [`load`] wrote, counted for the build's summary line.
#[derive(Debug, Default)]
pub(crate) struct Records {
    pub applicants: usize,
    pub transfers: usize,
    pub households: usize,
    pub positions: usize,
    pub titles: usize,
    pub ratings: usize,
}

/// Sample records in `commune` (a 2025 commune with branches and members)
/// and its province, dated up to today.
pub(crate) async fn load(app: &App, actor: &Actor, commune: &str) -> Result<Records> {
    let store = app.store();
    let today = Day::today();
    let mut done = Records::default();
    let unit = store.unit(commune, today).await?.unit;
    let branches: Vec<Unit> = (store.descendants(&unit, today).await?.into_iter())
        .filter(|u| matches!(u.level, Level::Branch | Level::Group))
        .collect();
    // Members of some standing: admitted before the reform, so that every
    // step below comes after their last one.
    let settled = |m: &Member| {
        m.joined_on
            .as_deref()
            .is_some_and(|d| d < Day::REFORM_2025.iso().as_str())
    };
    let mut here: Vec<Member> = active(app, commune).await?.into_iter().filter(settled).collect();
    if branches.is_empty() || here.len() < 3 {
        return Ok(done);
    }
    // One member leaves for another commune, one is on leave; the others
    // hold the positions, titles, ratings and households.
    let (leaving, resting) = (here.remove(here.len() - 1), here.remove(0));
    let mut by_branch: BTreeMap<&str, Vec<&Member>> = BTreeMap::new();
    for m in &here {
        by_branch.entry(m.unit_code.as_str()).or_default().push(m);
    }
    let mut rng = Rng::new(46);

    // Applicants: three people who applied in the last weeks, and one whose
    // name and birth are those of a member (a likely duplicate to decide).
    let mut serials = Serials::new(store.members_registered().await? as u32);
    let joining = Joining::Between {
        from: today,
        applicants: 1,
    };
    for (k, row) in members(&branches, 3, &mut serials, &mut rng, today, joining)
        .into_iter()
        .enumerate()
    {
        // Without a CCCD, as many an application form comes: a generated
        // number could be one the register already holds.
        let member = NewMember {
            cccd: None,
            ..row.member
        };
        let input = AddMember {
            member,
            date: today.plus_days(-(3 + 4 * k as i64)),
            accept_warnings: true,
        };
        app.add_member(actor, &input).await?;
        done.applicants += 1;
    }
    let twin = &here[here.len() / 2];
    if let (Some(birth), Some(sex)) = (BirthDate::parse(&twin.birth_date), Sex::parse(&twin.sex)) {
        let branch = rng.pick(&branches);
        let member = NewMember {
            full_name: twin.full_name.clone(),
            birth,
            sex,
            ethnicity: None,
            religion: None,
            cccd: None,
            phone: None,
            village: None,
            unit: hnd_domain::UnitCode::parse(&branch.code).expect("an existing code"),
        };
        let input = AddMember {
            member,
            date: today.plus_days(-1),
            accept_warnings: true,
        };
        app.add_member(actor, &input).await?;
        done.applicants += 1;
    }

    // Transfers: two members of the next commune with members come here,
    // waiting for this commune to confirm; one member of here leaves for it.
    let province = store
        .unit(unit.province_code.as_deref().unwrap_or_default(), today)
        .await?;
    for other in store.children(province.unit.id, today).await? {
        if other.code == commune {
            continue;
        }
        let there: Vec<Member> = active(app, &other.code).await?.into_iter().filter(settled).collect();
        if there.len() < 3 {
            continue;
        }
        for m in &there[..2] {
            let to = rng.pick(&branches);
            app.send_transfer(actor, m.id, &to.code, today.plus_days(-5)).await?;
            done.transfers += 1;
        }
        app.send_transfer(actor, leaving.id, &there[2].unit_code, today.plus_days(-2))
            .await?;
        done.transfers += 1;
        break;
    }

    // Each branch's head since the branch's last congress, with a profile.
    let congress = Day::from_ymd(today.year() - 3, 9, 15).expect("a real day");
    for (branch, people) in &by_branch {
        let head = people[0];
        let from = joined(head).max(congress);
        let role = NewRole {
            position: if branch.contains("-T") {
                Position::GroupHead
            } else {
                Position::BranchHead
            },
            unit: hnd_domain::UnitCode::parse(branch).ok(),
            from,
            to: None,
        };
        app.add_role(actor, head.id, &role).await?;
        done.positions += 1;
        let mut profile = store.member_profile(head.id).await?.profile;
        profile.occupation = Some(*rng.pick(&[Occupation::Crop, Occupation::Livestock, Occupation::Services]));
        let grade: &&str = rng.pick(&["9/12", "12/12", "7/10"]);
        profile.general_grade = GeneralGrade::parse(grade);
        profile.core_member = true;
        app.set_profile(actor, head.id, &profile, hnd_app::Personal::Keep)
            .await?;
    }

    // Last year's ratings for the first members of each branch; titles
    // for a few; households with a spouse and the year's category.
    let last_year = Year::parse(&(today.year() - 1).to_string()).expect("a year since 1930");
    let ratings = [Rating::Excellent, Rating::Good, Rating::Good, Rating::Done];
    for people in by_branch.values() {
        for (k, m) in people.iter().take(4).enumerate() {
            let rating = NewRating {
                year: last_year,
                rating: ratings[k],
                proposed_to_party: k == 0 && done.ratings == 0,
            };
            app.set_rating(actor, m.id, &rating).await?;
            done.ratings += 1;
        }
    }
    for (k, m) in here.iter().step_by(here.len().div_ceil(5)).enumerate() {
        let title = NewTitle {
            year: last_year,
            level: [AwardLevel::Commune, AwardLevel::Province][k % 2],
            kind: [TitleKind::ExcellentFarmer, TitleKind::Certificate][k % 2],
            note: Some(format!("{}-QĐ/HND", 10 + k)),
        };
        app.add_title(actor, m.id, &title).await?;
        done.titles += 1;
    }
    let categories = [
        Some(HouseholdCategory::NearPoor),
        None,
        Some(HouseholdCategory::Poor),
        None,
        Some(HouseholdCategory::Policy),
    ];
    // A household is a branch's head and the next member of the branch;
    // where the branches are small, two members side by side.
    let pairs: Vec<(&Member, &Member)> = if by_branch.values().any(|p| p.len() >= 2) {
        (by_branch.values().filter(|p| p.len() >= 2))
            .map(|p| (p[0], p[1]))
            .collect()
    } else {
        here.chunks_exact(2).map(|p| (&p[0], &p[1])).collect()
    };
    for ((head, other), category) in pairs.into_iter().zip(categories) {
        // The residential branch's place ("Chi hội Thôn An Phú": thôn An Phú).
        let branch = branches.iter().find(|b| b.code == head.unit_code);
        let place = branch.and_then(|b| b.code.contains("-CH").then(|| b.name.trim_start_matches("Chi hội ")));
        let address = match place.or(head.village.as_deref()) {
            Some(place) => format!("{place}, {}", unit.name),
            None => unit.name.clone(),
        };
        let address = Some(address);
        let household = app.create_household(actor, head.id, address).await?;
        let role = if head.sex == other.sex {
            HouseholdRole::Other
        } else {
            HouseholdRole::Spouse
        };
        app.join_household(actor, household, other.id, role).await?;
        if let Some(category) = category {
            app.set_household_category(actor, household, today.year() - 1, category)
                .await?;
        }
        done.households += 1;
    }

    // One member on leave since last month.
    app.start_leave(actor, resting.id, today.plus_days(-30)).await?;
    report_tasks(app, actor, today).await?;
    Ok(done)
}

/// The active members under `code`, by id.
async fn active(app: &App, code: &str) -> Result<Vec<Member>> {
    let query = MemberQuery {
        scope: code.to_string(),
        status: Some("active".into()),
        limit: 5_000,
        ..Default::default()
    };
    let (mut found, _) = app.store().find_members(&query).await?;
    found.sort_by_key(|m| m.id);
    Ok(found)
}

fn joined(m: &Member) -> Day {
    (m.joined_on.as_deref())
        .and_then(|d| Day::from_iso(d).ok())
        .unwrap_or(Day::REFORM_2025)
}

/// The first task of each plan reported on: under way, with a note.
async fn report_tasks(app: &App, actor: &Actor, today: Day) -> Result<()> {
    let store = app.store();
    for plan in store.plans("TW").await? {
        if let Some(task) = store.tasks(&plan.number, today).await?.first() {
            let report = TaskReport {
                status: "in_progress".into(),
                note: "Đã triển khai đến các cơ sở; đang tổng hợp kết quả.".into(),
                files: Vec::new(),
            };
            app.report_task(actor, task.id, report).await?;
        }
    }
    Ok(())
}

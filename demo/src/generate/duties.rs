//! Responsibility lists (谁受益、谁担责) of the demo: every community
//! publishes a list for each of the seven kinds of party, and links to them
//! the property companies serving its compounds, its rental buildings, its
//! shops, and a named cleaning company.
//!
//! Unlike the rest of the generator this part works from what is already
//! written: it runs last, in the load's unit of work, reads the register
//! through the transaction and writes through `domain::duties`, so the
//! links obey the same kind and community rules as the API's.

use std::collections::BTreeSet;

use compound_api::domain::duties::links::{self, PartyInput};
use compound_api::domain::duties::lists::{self, NewItem, NewVersion};
use compound_api::domain::kinds::{
    BuildingKind, CompoundKind, DutyField, ResponsiblePartyKind as Kind,
};
use compound_api::domain::parties::linkage::contract_period;
use compound_api::domain::unit_of_work::UnitOfWork;
use compound_api::entity::{building, community, compound, dwelling, property_contract};
use compound_api::error::AppResult;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use DutyField::*;

/// A list's duties: each with its field.
type Duties = &'static [(DutyField, &'static str)];

/// The title and duties of each kind's list, the same in every community.
const LISTS: [(Kind, &str, Duties); 7] = [
    (
        Kind::Factory,
        "工厂企业责任清单",
        &[
            (PublicSecurity, "落实门卫值守和员工登记,配合开展治安巡查"),
            (FireSafety, "按规范配置消防器材,每月组织防火检查"),
            (Safety, "建立安全生产责任制,定期排查生产安全隐患"),
            (CityManagement, "规范厂区周边环境,不占道堆放物料"),
        ],
    ),
    (
        Kind::PropertyCompany,
        "物业服务企业责任清单",
        &[
            (
                PublicSecurity,
                "做好小区门岗值守和来访登记,配合开展治安防范",
            ),
            (FireSafety, "定期检查消防设施,保持消防通道畅通"),
            (Safety, "排查电梯、二次供水、外墙等公共部位安全隐患"),
            (CityManagement, "及时清运生活垃圾,劝阻和报告违法搭建"),
        ],
    ),
    (
        Kind::CleaningCompany,
        "保洁公司责任清单",
        &[
            (FireSafety, "及时清理楼道杂物,不在消防通道堆放垃圾"),
            (Safety, "作业时设置警示标志,规范使用清洁药剂"),
            (CityManagement, "落实垃圾分类收运,保持责任区域整洁"),
        ],
    ),
    (
        Kind::Landlord,
        "出租屋业主责任清单",
        &[
            (PublicSecurity, "如实登记租客信息,发现可疑情况及时报告"),
            (FireSafety, "不得群租,出租房屋配备灭火器和烟感报警器"),
            (Safety, "检查房屋电气线路和燃气设施,配备专职楼栋长"),
            (CityManagement, "督促租客遵守垃圾分类和文明养犬规定"),
        ],
    ),
    (
        Kind::BuildingChief,
        "楼栋长责任清单",
        &[
            (PublicSecurity, "掌握楼栋住户情况,协助做好治安防范"),
            (FireSafety, "巡查楼道堆物和电动车违规充电"),
            (Safety, "发现安全隐患及时上报网格员"),
            (CityManagement, "宣传文明创建,劝导楼道乱贴乱画"),
        ],
    ),
    (
        Kind::Tenant,
        "承租人责任清单",
        &[
            (PublicSecurity, "主动配合登记,遵守治安管理规定"),
            (FireSafety, "不私拉电线,不在室内给电动车充电"),
            (Safety, "安全使用燃气和电器,外出关闭水电气"),
            (CityManagement, "按规定分类投放垃圾,不占用公共空间"),
        ],
    ),
    (
        Kind::Merchant,
        "商户责任清单",
        &[
            (PublicSecurity, "落实门店安全防范措施,配合治安检查"),
            (FireSafety, "门店配备灭火器,不在店内住人"),
            (Safety, "规范用电用气,定期检查燃气管道"),
            (CityManagement, "落实门前三包,不跨门经营、不占道经营"),
        ],
    ),
];

/// Publishes the lists of every community of subdistrict `subdistrict_id`
/// and links the parties there to them.
pub(crate) async fn write(uow: &UnitOfWork<'_>, subdistrict_id: i64) -> AppResult<()> {
    let db = uow.db();
    let communities = community::Entity::find()
        .filter(community::Column::SubdistrictId.eq(subdistrict_id))
        .order_by_asc(community::Column::Id)
        .all(db)
        .await?;
    let mut list_ids = std::collections::HashMap::new();
    for c in &communities {
        for (kind, title, items) in LISTS {
            let published = lists::publish(
                uow,
                NewVersion {
                    community_id: c.id,
                    party_kind: kind,
                    title: title.to_owned(),
                    note: None,
                    published_on: None,
                    items: items
                        .iter()
                        .map(|(field, text)| NewItem {
                            field: *field,
                            text: (*text).to_owned(),
                        })
                        .collect(),
                },
            )
            .await?;
            list_ids.insert((c.id, kind), published.list.id);
        }
    }
    let list_of = |community: i64, kind: Kind| list_ids.get(&(community, kind)).copied();
    let compounds: std::collections::HashMap<i64, compound::Model> = compound::Entity::find()
        .filter(compound::Column::CommunityId.is_in(communities.iter().map(|c| c.id)))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();

    // Property companies, once in each community they serve today.
    let today = uow.today();
    let mut served = BTreeSet::new();
    for contract in property_contract::Entity::find()
        .filter(property_contract::Column::CompoundId.is_in(compounds.keys().copied()))
        .all(db)
        .await?
    {
        if let Some(c) = compounds.get(&contract.compound_id)
            && contract_period(&contract).contains(today)
        {
            served.insert((c.community_id, contract.company_id));
        }
    }
    for (community, company) in served {
        if let Some(list) = list_of(community, Kind::PropertyCompany) {
            let party = PartyInput {
                property_company_id: Some(company),
                ..PartyInput::default()
            };
            links::link(uow, list, party).await?;
        }
    }

    // Rental buildings (their landlords' list) and shops (the merchants').
    let buildings = building::Entity::find()
        .filter(building::Column::CompoundId.is_in(compounds.keys().copied()))
        .order_by_asc(building::Column::Id)
        .all(db)
        .await?;
    let mut shop_buildings = std::collections::HashMap::new();
    for b in &buildings {
        let Some(c) = compounds.get(&b.compound_id) else {
            continue;
        };
        if b.is_rental
            && let Some(list) = list_of(c.community_id, Kind::Landlord)
        {
            let party = PartyInput {
                building_id: Some(b.id),
                ..PartyInput::default()
            };
            links::link(uow, list, party).await?;
        }
        if b.kind == BuildingKind::ShopBlock || c.kind == CompoundKind::CommercialStreet {
            shop_buildings.insert(b.id, c.community_id);
        }
    }
    for d in dwelling::Entity::find()
        .filter(dwelling::Column::BuildingId.is_in(shop_buildings.keys().copied()))
        .order_by_asc(dwelling::Column::Id)
        .all(db)
        .await?
    {
        if let Some(list) = shop_buildings
            .get(&d.building_id)
            .and_then(|community| list_of(*community, Kind::Merchant))
        {
            let party = PartyInput {
                dwelling_id: Some(d.id),
                ..PartyInput::default()
            };
            links::link(uow, list, party).await?;
        }
    }

    // Each industrial zone's operator keeps the factories' list.
    let mut zones: Vec<&compound::Model> = compounds
        .values()
        .filter(|c| c.kind == CompoundKind::IndustrialZone)
        .collect();
    zones.sort_by_key(|c| c.id);
    for c in zones {
        if let Some(list) = list_of(c.community_id, Kind::Factory) {
            let party = PartyInput {
                party_name: Some(crate::zone_operator(&c.name)),
                ..PartyInput::default()
            };
            links::link(uow, list, party).await?;
        }
    }

    // Each community's cleaning contractor, a party the register has no table for.
    for c in &communities {
        if let Some(list) = list_of(c.id, Kind::CleaningCompany) {
            let party = PartyInput {
                party_name: Some(format!("{}环卫保洁服务队", c.name)),
                ..PartyInput::default()
            };
            links::link(uow, list, party).await?;
        }
    }
    Ok(())
}

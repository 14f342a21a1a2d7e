//! The vocabularies of the domain, each defined once.
//!
//! Each enumeration is stored as a stable SCREAMING_CASE string (sea-orm
//! `ActiveEnum`) and exposed as a GraphQL enum with the same values, so the
//! stored value, the API value and the documentation cannot drift apart.
//! Table models live in `crate::entity`; these are plain values, not models.

use async_graphql::Enum;
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// Declares one vocabulary: a sea-orm string enum that is also a GraphQL enum.
macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $value:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Enum, Serialize, Deserialize)]
        #[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
        #[serde(rename_all = "SCREAMING_SNAKE_CASE")]
        pub enum $name {
            $($(#[$vmeta])* #[sea_orm(string_value = $value)] $variant,)+
        }

        impl $name {
            /// The stored and serialised value.
            pub fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $value,)+ }
            }
        }
    };
}

vocabulary! {
    /// The kind of a residential compound (小区类型).
    CompoundKind {
        /// Commodity housing (商品房小区).
        CommodityHousing = "COMMODITY_HOUSING",
        /// Old compound, often with no property company (老旧小区).
        OldCompound = "OLD_COMPOUND",
        /// Village-to-residence compound (村改居).
        VillageToResidence = "VILLAGE_TO_RESIDENCE",
        /// Bungalow area of courtyards and alleys (平房片区).
        BungalowArea = "BUNGALOW_AREA",
        /// Commercial street of shops (商区).
        CommercialStreet = "COMMERCIAL_STREET",
        /// Industrial zone with its dormitory buildings, run by an operator (工业区).
        IndustrialZone = "INDUSTRIAL_ZONE",
    }
}

impl CompoundKind {
    /// Which variant of the chain of chiefs serves this kind of compound.
    pub fn chain_variant(self) -> ChainVariant {
        match self {
            Self::BungalowArea => ChainVariant::BungalowArea,
            Self::CommercialStreet => ChainVariant::CommercialStreet,
            Self::CommodityHousing
            | Self::OldCompound
            | Self::VillageToResidence
            | Self::IndustrialZone => ChainVariant::ApartmentCompound,
        }
    }
}

vocabulary! {
    /// The kind of a building-level unit.
    BuildingKind {
        /// An apartment building with entrances and floors (楼栋).
        Apartment = "APARTMENT",
        /// A courtyard of a bungalow area (院落).
        Courtyard = "COURTYARD",
        /// A block of shops on a commercial street (门店组).
        ShopBlock = "SHOP_BLOCK",
    }
}

vocabulary! {
    /// How a person lives in a dwelling (住户类型).
    ResidencyKind {
        /// The owner lives there (业主).
        Owner = "OWNER",
        /// A family member of the owner (家庭成员).
        FamilyMember = "FAMILY_MEMBER",
        /// A tenant (租户).
        Tenant = "TENANT",
    }
}

vocabulary! {
    /// Whether a party branch is standing or temporary.
    PartyBranchKind {
        /// A standing branch (党支部).
        Standing = "STANDING",
        /// A temporary branch (临时党支部).
        Temporary = "TEMPORARY",
    }
}

vocabulary! {
    /// A member's role in a party branch.
    BranchRole {
        /// Branch secretary (书记).
        Secretary = "SECRETARY",
        /// Deputy secretary (副书记).
        DeputySecretary = "DEPUTY_SECRETARY",
        /// Member of the branch committee or branch (委员/党员).
        Member = "MEMBER",
    }
}

vocabulary! {
    /// One of a community's two committees (社区"两委").
    CommunityCommitteeKind {
        /// The community party committee (社区党委, or 党总支/党支部 where smaller).
        PartyCommittee = "PARTY_COMMITTEE",
        /// The residents' committee (居民委员会).
        ResidentsCommittee = "RESIDENTS_COMMITTEE",
    }
}

vocabulary! {
    /// A seat on a community committee.
    CommunityCommitteeRole {
        /// Its head: the party committee's secretary (书记) or the residents' committee's director (主任).
        Head = "HEAD",
        /// A deputy head (副书记 / 副主任).
        DeputyHead = "DEPUTY_HEAD",
        /// A member (委员), full- or part-time (兼职委员 included).
        Member = "MEMBER",
    }
}

vocabulary! {
    /// A post in a property company.
    CompanyPostKind {
        /// The company's head (企业负责人: chair, general manager).
        Head = "HEAD",
        /// The project lead for one compound (项目负责人 / 项目经理).
        ProjectLead = "PROJECT_LEAD",
        /// A member of its management or board (管理层 / 董事会).
        Management = "MANAGEMENT",
    }
}

vocabulary! {
    /// Whether a chief serves full-time or part-time.
    ChiefEmployment {
        /// Full-time (专职).
        FullTime = "FULL_TIME",
        /// Part-time (兼职).
        PartTime = "PART_TIME",
    }
}

vocabulary! {
    /// Who provides (organises and answers for) a chief.
    ChiefProvider {
        /// The community (社区): area, community and grid chiefs, grid workers, and chiefs where no one else provides them.
        Community = "COMMUNITY",
        /// The property company under contract, in commodity housing (物业服务企业).
        PropertyCompany = "PROPERTY_COMPANY",
        /// The landlord of a rental building (出租屋业主), who must provide a full-time building chief.
        Landlord = "LANDLORD",
        /// The operator of an industrial zone (工业区经营者), who must provide full-time building chiefs.
        ZoneOperator = "ZONE_OPERATOR",
        /// The market regulator, whose officer is a commercial street's market supervisor (市场监管).
        MarketRegulator = "MARKET_REGULATOR",
    }
}

vocabulary! {
    /// A seat in the building chiefs' association.
    AssociationRole {
        /// President (会长).
        President = "PRESIDENT",
        /// Vice-president (副会长).
        VicePresident = "VICE_PRESIDENT",
        /// Member (会员).
        Member = "MEMBER",
    }
}

vocabulary! {
    /// A record against the chiefs' code of conduct (奖惩).
    ConductKind {
        /// A commendation (表彰/奖励).
        Commendation = "COMMENDATION",
        /// A penalty (处罚/通报批评).
        Penalty = "PENALTY",
    }
}

vocabulary! {
    /// A member's role on the owners' committee.
    CommitteeRole {
        /// Chair (主任).
        Chair = "CHAIR",
        /// Vice-chair (副主任).
        ViceChair = "VICE_CHAIR",
        /// Member (委员).
        Member = "MEMBER",
    }
}

vocabulary! {
    /// The state of a property-service contract.
    ContractStatus {
        /// Not ended: in force from its start, and after its agreed end too while service
        /// continues (an indefinite term, Civil Code art. 948) (履行中).
        Active = "ACTIVE",
        /// Its end is recorded: in force until `endedOn`, inclusive (已终止).
        Ended = "ENDED",
    }
}

vocabulary! {
    /// Which of the three parties an attendee of a joint meeting represents.
    MeetingParty {
        /// The compound's party branch (小区党组织).
        PartyBranch = "PARTY_BRANCH",
        /// The owners' committee (业主委员会).
        OwnersCommittee = "OWNERS_COMMITTEE",
        /// The property company (物业服务企业).
        PropertyCompany = "PROPERTY_COMPANY",
        /// Community staff or another invited body (社区等列席).
        Other = "OTHER",
    }
}

vocabulary! {
    /// The variant of the chain of chiefs (五级五长), by area type.
    ChainVariant {
        /// Apartment compounds (楼房小区).
        ApartmentCompound = "APARTMENT_COMPOUND",
        /// Bungalow areas (平房片区).
        BungalowArea = "BUNGALOW_AREA",
        /// Commercial streets (商区).
        CommercialStreet = "COMMERCIAL_STREET",
    }
}

vocabulary! {
    /// A position in the chain of chiefs. The level fixes the kind of scope it covers.
    ChiefLevel {
        /// Level 1, over a community's area (片长).
        AreaChief = "AREA_CHIEF",
        /// Level 2, over a community (社区长).
        CommunityChief = "COMMUNITY_CHIEF",
        /// Level 3, over a grid (网格长).
        GridChief = "GRID_CHIEF",
        /// Grid worker, over a grid; several may serve one grid (网格员).
        GridWorker = "GRID_WORKER",
        /// Level 4 in apartment compounds, over a building (楼栋长).
        BuildingChief = "BUILDING_CHIEF",
        /// Level 5 in apartment compounds, over a range of floors of a building (楼层长).
        FloorChief = "FLOOR_CHIEF",
        /// Level 4 in bungalow areas, over an alley (巷道长).
        AlleyChief = "ALLEY_CHIEF",
        /// Level 5 in bungalow areas, over a courtyard (院落长).
        CourtyardChief = "COURTYARD_CHIEF",
        /// Level 4 on commercial streets, a market-regulation officer over the street (监长).
        MarketSupervisor = "MARKET_SUPERVISOR",
        /// Level 5 on commercial streets, over a group of about ten shops (门店长).
        ShopChief = "SHOP_CHIEF",
    }
}

vocabulary! {
    /// The kind of scope a chief's position covers.
    ScopeKind {
        /// A community (社区).
        Community = "COMMUNITY",
        /// A grid (网格).
        Grid = "GRID",
        /// A whole compound or commercial street (小区/商区).
        Compound = "COMPOUND",
        /// A building (楼栋).
        Building = "BUILDING",
        /// A range of floors of a building (楼层).
        FloorRange = "FLOOR_RANGE",
        /// An alley of a bungalow area, named by label (巷道).
        Alley = "ALLEY",
        /// A courtyard (院落).
        Courtyard = "COURTYARD",
        /// A group of shops: a shop block (门店组).
        ShopGroup = "SHOP_GROUP",
    }
}

impl ChiefLevel {
    /// The kind of scope this level covers.
    pub fn scope_kind(self) -> ScopeKind {
        match self {
            Self::AreaChief | Self::CommunityChief => ScopeKind::Community,
            Self::GridChief | Self::GridWorker => ScopeKind::Grid,
            Self::BuildingChief => ScopeKind::Building,
            Self::FloorChief => ScopeKind::FloorRange,
            Self::AlleyChief => ScopeKind::Alley,
            Self::CourtyardChief => ScopeKind::Courtyard,
            Self::MarketSupervisor => ScopeKind::Compound,
            Self::ShopChief => ScopeKind::ShopGroup,
        }
    }

    /// The rung of the chain, 1 (area chief) to 5 (the chief who covers households).
    pub fn rank(self) -> i32 {
        match self {
            Self::AreaChief => 1,
            Self::CommunityChief => 2,
            Self::GridChief | Self::GridWorker => 3,
            Self::BuildingChief | Self::AlleyChief | Self::MarketSupervisor => 4,
            Self::FloorChief | Self::CourtyardChief | Self::ShopChief => 5,
        }
    }

    /// The chain variant this level belongs to; levels 1–3 serve every variant.
    pub fn variant(self) -> Option<ChainVariant> {
        match self {
            Self::BuildingChief | Self::FloorChief => Some(ChainVariant::ApartmentCompound),
            Self::AlleyChief | Self::CourtyardChief => Some(ChainVariant::BungalowArea),
            Self::MarketSupervisor | Self::ShopChief => Some(ChainVariant::CommercialStreet),
            Self::AreaChief | Self::CommunityChief | Self::GridChief | Self::GridWorker => None,
        }
    }

    /// Whether a scope has at most one active holder of this level at a time.
    /// Grid workers are the one level several people may hold over one grid.
    pub fn single_holder(self) -> bool {
        !matches!(self, Self::GridWorker)
    }
}

vocabulary! {
    /// One of the six service duties every chief carries (六员).
    Duty {
        /// Policy publicist (政策宣传员).
        PolicyPublicist = "POLICY_PUBLICIST",
        /// Opinion collector (民意反馈员).
        OpinionCollector = "OPINION_COLLECTOR",
        /// Hazard inspector (安全隐患排查员).
        HazardInspector = "HAZARD_INSPECTOR",
        /// Dispute mediator (矛盾调解员).
        DisputeMediator = "DISPUTE_MEDIATOR",
        /// Civility promoter (文明创建员).
        CivilityPromoter = "CIVILITY_PROMOTER",
        /// Resident helper (群众服务员).
        ResidentHelper = "RESIDENT_HELPER",
    }
}

impl Duty {
    /// All six duties, in their customary order.
    pub const ALL: [Duty; 6] = [
        Duty::PolicyPublicist,
        Duty::OpinionCollector,
        Duty::HazardInspector,
        Duty::DisputeMediator,
        Duty::CivilityPromoter,
        Duty::ResidentHelper,
    ];

    fn bit(self) -> i32 {
        1 << Duty::ALL.iter().position(|d| *d == self).unwrap_or(0)
    }

    /// Packs a set of duties into the stored bit set.
    pub fn to_bits(duties: &[Duty]) -> i32 {
        duties.iter().fold(0, |acc, d| acc | d.bit())
    }

    /// Unpacks the stored bit set, in customary order.
    pub fn from_bits(bits: i32) -> Vec<Duty> {
        Duty::ALL
            .into_iter()
            .filter(|d| bits & d.bit() != 0)
            .collect()
    }
}

vocabulary! {
    /// A role granted to an account over a scope.
    Role {
        /// Runs the platform; may do everything (平台管理员).
        PlatformAdmin = "PLATFORM_ADMIN",
        /// District staff over their district (区级工作人员).
        DistrictStaff = "DISTRICT_STAFF",
        /// Subdistrict staff over their subdistrict (街道工作人员).
        SubdistrictStaff = "SUBDISTRICT_STAFF",
        /// Community staff over their community (社区工作人员).
        CommunityStaff = "COMMUNITY_STAFF",
        /// Party-branch secretary over a compound (小区党支部书记).
        BranchSecretary = "BRANCH_SECRETARY",
        /// Owners'-committee member over a compound (业委会委员).
        CommitteeMember = "COMMITTEE_MEMBER",
        /// Property manager over a compound (物业项目经理).
        PropertyManager = "PROPERTY_MANAGER",
        /// Grid worker over their grid (网格员).
        GridWorker = "GRID_WORKER",
        /// Building chief over their building (楼栋长).
        BuildingChief = "BUILDING_CHIEF",
        /// Resident over their dwelling (居民).
        Resident = "RESIDENT",
        /// Evaluator of demonstration compounds (评审专家).
        Evaluator = "EVALUATOR",
    }
}

impl Role {
    /// The kind of unit this role is granted over, if any.
    pub fn scope_level(self) -> Option<ScopeLevel> {
        match self {
            Self::PlatformAdmin | Self::Evaluator => None,
            Self::DistrictStaff => Some(ScopeLevel::District),
            Self::SubdistrictStaff => Some(ScopeLevel::Subdistrict),
            Self::CommunityStaff => Some(ScopeLevel::Community),
            Self::BranchSecretary | Self::CommitteeMember | Self::PropertyManager => {
                Some(ScopeLevel::Compound)
            }
            Self::GridWorker => Some(ScopeLevel::Grid),
            Self::BuildingChief => Some(ScopeLevel::Building),
            Self::Resident => Some(ScopeLevel::Dwelling),
        }
    }
}

/// The administrative or physical unit a role is granted over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
pub enum ScopeLevel {
    /// A district (区).
    District,
    /// A subdistrict (街道).
    Subdistrict,
    /// A community (社区).
    Community,
    /// A grid (网格).
    Grid,
    /// A compound (小区).
    Compound,
    /// A building (楼栋).
    Building,
    /// A dwelling (房屋).
    Dwelling,
}

vocabulary! {
    /// The law whose voting rule a residents' council follows for its resolutions.
    CouncilRule {
        /// Organic Law of Urban Residents' Committees art. 10: more than half of the
        /// representatives present, and more than half of those present agreeing (default).
        UrbanResidents = "URBAN_RESIDENTS",
        /// Organic Law of Villagers' Committees art. 26 (村改居 communities): at least two
        /// thirds of the representatives present, and more than half of those present agreeing.
        Villagers = "VILLAGERS",
    }
}

vocabulary! {
    /// A step of the four deliberations and two publications (四议两公开), in order.
    CouncilStepKind {
        /// 1. The party organisation proposes (党组织提议).
        PartyProposal = "PARTY_PROPOSAL",
        /// 2. The two committees deliberate (两委商议).
        CommitteesDeliberation = "COMMITTEES_DELIBERATION",
        /// 3. The party members' meeting reviews (党员大会审议).
        PartyMembersReview = "PARTY_MEMBERS_REVIEW",
        /// 4. The residents' representatives' meeting resolves, by vote (居民代表会议决议).
        RepresentativesResolution = "REPRESENTATIVES_RESOLUTION",
        /// 5. The resolution is published for a publicity period (决议公开).
        ResolutionPublication = "RESOLUTION_PUBLICATION",
        /// 6. The implementation result is published (实施结果公开).
        ResultPublication = "RESULT_PUBLICATION",
    }
}

impl CouncilStepKind {
    /// The steps in their required order.
    pub const ORDER: [CouncilStepKind; 6] = [
        CouncilStepKind::PartyProposal,
        CouncilStepKind::CommitteesDeliberation,
        CouncilStepKind::PartyMembersReview,
        CouncilStepKind::RepresentativesResolution,
        CouncilStepKind::ResolutionPublication,
        CouncilStepKind::ResultPublication,
    ];

    /// The step's number, 1 to 6.
    pub fn number(self) -> usize {
        Self::ORDER
            .iter()
            .position(|s| *s == self)
            .map_or(0, |i| i + 1)
    }
}

vocabulary! {
    /// What a step of a council matter came to.
    StepOutcome {
        /// The matter goes on to the next step.
        Approved = "APPROVED",
        /// The matter stops here, with its record.
        Rejected = "REJECTED",
        /// The step published something (steps 5 and 6).
        Published = "PUBLISHED",
    }
}

vocabulary! {
    /// What a publication (公示) makes public.
    PublicationKind {
        /// A council resolution (决议公开), open to objections during its publicity period.
        Resolution = "RESOLUTION",
        /// The implementation result of a resolution (实施结果公开).
        ImplementationResult = "IMPLEMENTATION_RESULT",
        /// The result of an owners' assembly vote.
        VoteResult = "VOTE_RESULT",
    }
}

vocabulary! {
    /// The matters owners decide jointly under Civil Code art. 278.
    ArticleMatter {
        /// 1. The assembly's procedural rules (议事规则).
        ProceduralRules = "PROCEDURAL_RULES",
        /// 2. The management covenant (管理规约).
        ManagementCovenant = "MANAGEMENT_COVENANT",
        /// 3. Electing or replacing owners' committee members.
        CommitteeElection = "COMMITTEE_ELECTION",
        /// 4. Hiring or dismissing the property company or other manager.
        PropertyManager = "PROPERTY_MANAGER",
        /// 5. Using the maintenance fund.
        MaintenanceFundUse = "MAINTENANCE_FUND_USE",
        /// 6. Raising the maintenance fund (needs three quarters).
        MaintenanceFundRaising = "MAINTENANCE_FUND_RAISING",
        /// 7. Rebuilding or reconstructing buildings and their facilities (needs three quarters).
        Rebuilding = "REBUILDING",
        /// 8. Changing the use of common parts or using them for business (needs three quarters).
        CommonPartsUse = "COMMON_PARTS_USE",
        /// 9. Other major matters of common ownership and management.
        OtherMajorMatter = "OTHER_MAJOR_MATTER",
    }
}

impl ArticleMatter {
    /// The item number of art. 278.
    pub fn item(self) -> i32 {
        match self {
            Self::ProceduralRules => 1,
            Self::ManagementCovenant => 2,
            Self::CommitteeElection => 3,
            Self::PropertyManager => 4,
            Self::MaintenanceFundUse => 5,
            Self::MaintenanceFundRaising => 6,
            Self::Rebuilding => 7,
            Self::CommonPartsUse => 8,
            Self::OtherMajorMatter => 9,
        }
    }

    /// The agreement rule of the item: three quarters for items 6–8, more than half otherwise.
    pub fn rule(self) -> VoteRule {
        match self.item() {
            6..=8 => VoteRule::ThreeQuarters,
            _ => VoteRule::MoreThanHalf,
        }
    }
}

vocabulary! {
    /// The agreement rule applied to an owners' assembly vote (after the quorum).
    VoteRule {
        /// More than half of the participating area and of the participating owners agree (过半数).
        MoreThanHalf = "MORE_THAN_HALF",
        /// At least three quarters of the participating area and of the participating owners agree (四分之三以上).
        ThreeQuarters = "THREE_QUARTERS",
    }
}

vocabulary! {
    /// Whether a vote takes ballots.
    VoteStatus {
        /// Ballots are taken and may be changed.
        Open = "OPEN",
        /// Closed: the result is fixed and no ballot is taken.
        Closed = "CLOSED",
    }
}

vocabulary! {
    /// An owner's choice on a ballot.
    BallotChoice {
        /// Agree (同意).
        Agree = "AGREE",
        /// Disagree (反对).
        Disagree = "DISAGREE",
        /// Abstain (弃权): takes part without agreeing.
        Abstain = "ABSTAIN",
    }
}

vocabulary! {
    /// The three posts a responsibility placard names (责任牌 / 亮牌), in the order it lists them.
    PlacardPost {
        /// The compound's responsible person (小区责任人), e.g. the branch secretary.
        CompoundResponsible = "COMPOUND_RESPONSIBLE",
        /// The community's responsible person (社区责任人), e.g. a member of the community party committee.
        CommunityResponsible = "COMMUNITY_RESPONSIBLE",
        /// The compound's management responsible person (小区管理责任人), e.g. the property project manager.
        ManagementResponsible = "MANAGEMENT_RESPONSIBLE",
    }
}

impl PlacardPost {
    /// The posts in placard order.
    pub const ALL: [PlacardPost; 3] = [
        Self::CompoundResponsible,
        Self::CommunityResponsible,
        Self::ManagementResponsible,
    ];
}

vocabulary! {
    /// A kind of party that answers for its duties in a community (谁受益、谁担责).
    ResponsiblePartyKind {
        /// A factory or workshop (工厂/企业).
        Factory = "FACTORY",
        /// A property-service company (物业服务企业).
        PropertyCompany = "PROPERTY_COMPANY",
        /// A cleaning company (保洁公司).
        CleaningCompany = "CLEANING_COMPANY",
        /// The landlord of a rental building (出租屋业主).
        Landlord = "LANDLORD",
        /// A building chief (楼栋长).
        BuildingChief = "BUILDING_CHIEF",
        /// A tenant (承租人/租户).
        Tenant = "TENANT",
        /// A merchant keeping a shop (商户).
        Merchant = "MERCHANT",
    }
}

impl ResponsiblePartyKind {
    /// All seven kinds, in the order the issue lists them.
    pub const ALL: [ResponsiblePartyKind; 7] = [
        Self::Factory,
        Self::PropertyCompany,
        Self::CleaningCompany,
        Self::Landlord,
        Self::BuildingChief,
        Self::Tenant,
        Self::Merchant,
    ];
}

vocabulary! {
    /// The field a duty of a responsibility list belongs to.
    DutyField {
        /// Public security (治安).
        PublicSecurity = "PUBLIC_SECURITY",
        /// Fire safety (消防).
        FireSafety = "FIRE_SAFETY",
        /// Safety, work safety included (安全/安全生产).
        Safety = "SAFETY",
        /// City management: sanitation, order of streets and frontages (城市管理).
        CityManagement = "CITY_MANAGEMENT",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duties_round_trip_through_bits() {
        let some = [Duty::HazardInspector, Duty::PolicyPublicist];
        assert_eq!(
            Duty::from_bits(Duty::to_bits(&some)),
            vec![Duty::PolicyPublicist, Duty::HazardInspector]
        );
        assert_eq!(
            Duty::from_bits(Duty::to_bits(&Duty::ALL)),
            Duty::ALL.to_vec()
        );
    }

    #[test]
    fn every_level_has_the_scope_of_its_variant() {
        assert_eq!(ChiefLevel::FloorChief.scope_kind(), ScopeKind::FloorRange);
        assert_eq!(
            ChiefLevel::ShopChief.variant(),
            Some(ChainVariant::CommercialStreet)
        );
        assert!(!ChiefLevel::GridWorker.single_holder());
        assert!(ChiefLevel::CourtyardChief.single_holder());
    }
}

vocabulary! {
    /// The kind of a volunteer or service team (服务队伍类型).
    ServiceTeamKind {
        /// A service team (服务性), e.g. repairs, elderly care, patrols.
        Service = "SERVICE",
        /// A public-welfare team (公益性), e.g. environment, civility, publicity.
        PublicWelfare = "PUBLIC_WELFARE",
        /// A mutual-aid team (互助性), neighbours helping neighbours.
        MutualAid = "MUTUAL_AID",
    }
}

impl ServiceTeamKind {
    /// The three kinds, in the customary order (服务性、公益性、互助性).
    pub const ALL: [ServiceTeamKind; 3] = [
        ServiceTeamKind::Service,
        ServiceTeamKind::PublicWelfare,
        ServiceTeamKind::MutualAid,
    ];
}

vocabulary! {
    /// A member's role in a service team.
    ServiceTeamRole {
        /// The team's leader (队长); a team has at most one at any date.
        Leader = "LEADER",
        /// A member (队员).
        Member = "MEMBER",
    }
}

vocabulary! {
    /// What an uploaded file is for; it decides who may upload and read it.
    /// Each area that takes files adds its purpose here.
    AttachmentPurpose {
        /// A photo or document of a people's-small-things project, public to
        /// the compound's residents like the project itself (公示).
        ProjectPhoto = "PROJECT_PHOTO",
        /// A photo of a grid event, at its report, handling or check: read by
        /// those who may read the event.
        EventPhoto = "EVENT_PHOTO",
        /// Evidence behind an evaluator's score (a photo or document of a compound or
        /// community): read by the campaign's staff and the evaluators of the entry.
        ScoreEvidence = "SCORE_EVIDENCE",
    }
}

vocabulary! {
    /// Where a people's-small-things project (民生微实事) stands.
    ProjectStatus {
        /// Proposed by a resident; residents support it (征集).
        Solicitation = "SOLICITATION",
        /// Before the residents' council (评议).
        Deliberation = "DELIBERATION",
        /// Approved with a budget, waiting for its implementer (确定).
        Approved = "APPROVED",
        /// Rejected with a reason; it stops here.
        Rejected = "REJECTED",
        /// Being delivered: progress, photos and spending are recorded (实施).
        Implementation = "IMPLEMENTATION",
        /// Delivered; residents rate it and the party branch accepts it or sends it back (验收).
        Acceptance = "ACCEPTANCE",
        /// Accepted and closed.
        Closed = "CLOSED",
    }
}

impl ProjectStatus {
    /// Every status, in the order of the lifecycle.
    pub const ALL: [ProjectStatus; 7] = [
        ProjectStatus::Solicitation,
        ProjectStatus::Deliberation,
        ProjectStatus::Approved,
        ProjectStatus::Rejected,
        ProjectStatus::Implementation,
        ProjectStatus::Acceptance,
        ProjectStatus::Closed,
    ];
}

vocabulary! {
    /// What the party branch recorded at a project's acceptance.
    AcceptanceOutcome {
        /// Accepted: the project closes.
        Accepted = "ACCEPTED",
        /// Sent back for more work: the project returns to implementation.
        SentBack = "SENT_BACK",
    }
}

vocabulary! {
    /// Which of a compound's three parties publishes a notice.
    NoticePublisher {
        /// The owners' committee (业主委员会).
        OwnersCommittee = "OWNERS_COMMITTEE",
        /// The compound's party branch (小区党支部).
        PartyBranch = "PARTY_BRANCH",
        /// The property company serving the compound (物业服务企业).
        PropertyCompany = "PROPERTY_COMPANY",
    }
}

vocabulary! {
    /// Where a resident's opinion (社情民意) stands.
    OpinionStatus {
        /// Recorded, waiting for its answer.
        Open = "OPEN",
        /// Answered; a later answer may follow and then stands.
        Answered = "ANSWERED",
    }
}

vocabulary! {
    /// The kind of a patrol item in the catalogue.
    PatrolKind {
        /// A comprehensive patrol of the grid (综合巡查).
        Comprehensive = "COMPREHENSIVE",
        /// A patrol of one fixed point (定点巡查).
        FixedPoint = "FIXED_POINT",
    }
}

vocabulary! {
    /// The season a patrol frequency holds in. A frequency set for the
    /// season of a date stands over the one set for the whole year.
    Season {
        /// Every month that has no frequency of its own season.
        AllYear = "ALL_YEAR",
        /// March to May.
        Spring = "SPRING",
        /// June to August.
        Summer = "SUMMER",
        /// September to November.
        Autumn = "AUTUMN",
        /// December to February.
        Winter = "WINTER",
    }
}

impl Season {
    /// The season month `month` (1–12) falls in.
    pub fn of_month(month: u32) -> Self {
        match month {
            3..=5 => Self::Spring,
            6..=8 => Self::Summer,
            9..=11 => Self::Autumn,
            _ => Self::Winter,
        }
    }
}

vocabulary! {
    /// The period a patrol frequency counts in.
    PatrolPeriod {
        /// Times a day.
        Day = "DAY",
        /// Times a week.
        Week = "WEEK",
        /// Times a month.
        Month = "MONTH",
    }
}

vocabulary! {
    /// Who an event is dispatched to.
    EventHandlerKind {
        /// An organisation: a property company, a utility, an office (整治单位).
        Organisation = "ORGANISATION",
        /// A named person.
        Person = "PERSON",
        /// The enforcement team (综合整治队) small events go to when the
        /// responsible party refuses.
        EnforcementTeam = "ENFORCEMENT_TEAM",
        /// A department urgent, dangerous events are fast-reported to (快采快报).
        Department = "DEPARTMENT",
    }
}

vocabulary! {
    /// The procedure a grid event takes, fixed when it is reported.
    EventProcedure {
        /// Patrol, dispatch, handle, check (巡、拨、办、督).
        Standard = "STANDARD",
        /// A small event on the district's published list (微小事件): the grid
        /// worker handles it on the spot or tells the responsible party.
        Simple = "SIMPLE",
    }
}

vocabulary! {
    /// How urgent a grid event is.
    EventUrgency {
        /// Routine.
        Normal = "NORMAL",
        /// Urgent and dangerous: fast-reported to a department (快采快报).
        Urgent = "URGENT",
    }
}

vocabulary! {
    /// Where a grid event stands.
    GridEventStatus {
        /// Reported, waiting for dispatch (or, a small event, for the grid worker).
        Reported = "REPORTED",
        /// With its handler for rectification (also after a failed check).
        Dispatched = "DISPATCHED",
        /// Small event: the responsible party was told to fix it.
        Notified = "NOTIFIED",
        /// The handler reported the rectification; waiting for the reporter's check.
        Handled = "HANDLED",
        /// Escalated to supervision (督办) with a deadline: back with its handler.
        Supervised = "SUPERVISED",
        /// Closed: the check passed, or the grid worker handled it on the spot.
        Closed = "CLOSED",
    }
}

impl GridEventStatus {
    /// Every status an event may still move from.
    pub const OPEN: [GridEventStatus; 5] = [
        GridEventStatus::Reported,
        GridEventStatus::Dispatched,
        GridEventStatus::Notified,
        GridEventStatus::Handled,
        GridEventStatus::Supervised,
    ];
}

vocabulary! {
    /// One move of a grid event, as its history records it.
    GridEventAction {
        /// Reported by a grid worker or chief.
        Report = "REPORT",
        /// Fast-reported to a department (快采快报).
        FastReport = "FAST_REPORT",
        /// Dispatched to a handler.
        Dispatch = "DISPATCH",
        /// The handler reported the rectification.
        Handle = "HANDLE",
        /// The reporter's check passed; the event closed.
        CheckPassed = "CHECK_PASSED",
        /// The reporter's check failed; the event went back to its handler.
        CheckFailed = "CHECK_FAILED",
        /// Escalated to supervision at the fourth failed check.
        Escalate = "ESCALATE",
        /// A small event handled on the spot by the grid worker.
        HandleOnSpot = "HANDLE_ON_SPOT",
        /// The responsible party of a small event was told to fix it.
        NotifyParty = "NOTIFY_PARTY",
        /// The responsible party refused; handed to the enforcement team.
        HandToEnforcement = "HAND_TO_ENFORCEMENT",
    }
}

vocabulary! {
    /// What an evaluation selects: the title its campaigns award, and the
    /// kind of rubric they are scored against.
    EvaluationKind {
        /// Demonstration compound (示范小区), at county, city or province level.
        DemonstrationCompound = "DEMONSTRATION_COMPOUND",
        /// Epidemic-free compound or community (无疫小区 / 无疫社区).
        EpidemicFree = "EPIDEMIC_FREE",
        /// The top ten (十佳), drawn from the city- and county-level demonstration compounds.
        TopTen = "TOP_TEN",
    }
}

vocabulary! {
    /// Where a version of a rubric stands.
    RubricStatus {
        /// Being prepared: its content may still be replaced, and no campaign may pin it.
        Draft = "DRAFT",
        /// Published: it never changes again, and campaigns may pin it.
        Published = "PUBLISHED",
    }
}

vocabulary! {
    /// The level a campaign runs at and a title is held at.
    EvaluationLevel {
        /// County or district level (县级), run by a district.
        County = "COUNTY",
        /// City level (市级), run by the city.
        City = "CITY",
        /// Province level (省级): the city recommends from its city-level titles.
        Province = "PROVINCE",
    }
}

vocabulary! {
    /// Where a campaign stands; phases move forward in this order only.
    CampaignPhase {
        /// Compounds are recommended or apply (推荐申报).
        Application = "APPLICATION",
        /// The entrants build to the criteria (开展示范建设); evaluators are assigned.
        Building = "BUILDING",
        /// Evaluators score the entries (评估验收).
        Evaluation = "EVALUATION",
        /// The ranking is frozen and the quota and the top N are selected (择优).
        Selection = "SELECTION",
        /// The results are public and the titles awarded.
        Published = "PUBLISHED",
    }
}

impl CampaignPhase {
    /// The phase after this one, if any.
    pub fn next(self) -> Option<Self> {
        match self {
            Self::Application => Some(Self::Building),
            Self::Building => Some(Self::Evaluation),
            Self::Evaluation => Some(Self::Selection),
            Self::Selection => Some(Self::Published),
            Self::Published => None,
        }
    }
}

vocabulary! {
    /// How the evaluators' totals of an entry become its score.
    AggregationRule {
        /// The mean of every evaluator's total.
        Mean = "MEAN",
        /// With five or more evaluators, the mean without the highest and the lowest
        /// total (去掉一个最高分和一个最低分); with fewer, the plain mean.
        TrimmedMean = "TRIMMED_MEAN",
    }
}

vocabulary! {
    /// The eligibility check a campaign applies to each entry.
    EligibilityRule {
        /// Any compound or community the campaign's entry route admits.
        Any = "ANY",
        /// The compound lies in a community holding a demonstration-community title
        /// (基层治理示范社区) of the campaign's level.
        WithinDemonstrationCommunity = "WITHIN_DEMONSTRATION_COMMUNITY",
    }
}

vocabulary! {
    /// How an entry came into its campaign; the campaign's kind and level decide it.
    EntryRoute {
        /// Recommended by a subdistrict or district (推荐申报): demonstration compounds.
        Recommended = "RECOMMENDED",
        /// Applied for by the compound or community itself (自愿申报): epidemic-free ones.
        Applied = "APPLIED",
        /// Drawn from a title held (择优推荐): province-level entries from city-level titles,
        /// the top ten from city- and county-level ones.
        FromTitle = "FROM_TITLE",
    }
}

vocabulary! {
    /// The title a compound or community holds.
    TitleKind {
        /// Demonstration compound (示范小区).
        DemonstrationCompound = "DEMONSTRATION_COMPOUND",
        /// Demonstration community (基层治理示范社区), awarded outside this service and recorded.
        DemonstrationCommunity = "DEMONSTRATION_COMMUNITY",
        /// Epidemic-free compound or community (无疫小区 / 无疫社区).
        EpidemicFree = "EPIDEMIC_FREE",
        /// One of the top ten (十佳).
        TopTen = "TOP_TEN",
    }
}

impl TitleKind {
    /// The title a campaign of `kind` awards.
    pub fn awarded_by(kind: EvaluationKind) -> Self {
        match kind {
            EvaluationKind::DemonstrationCompound => Self::DemonstrationCompound,
            EvaluationKind::EpidemicFree => Self::EpidemicFree,
            EvaluationKind::TopTen => Self::TopTen,
        }
    }
}

vocabulary! {
    /// Whether a title is held.
    TitleStatus {
        /// Assessed by a district (区级评定) and waiting for the city's filing (市级备案):
        /// an epidemic-free title is held only once filed.
        Assessed = "ASSESSED",
        /// Held.
        Held = "HELD",
        /// Revoked (取消认定), with a reason.
        Revoked = "REVOKED",
    }
}

vocabulary! {
    /// Where an evaluator's score sheet stands.
    ScoreSheetStatus {
        /// Being filled in: its lines may be replaced.
        Draft = "DRAFT",
        /// Submitted and locked; only a new sheet that records why corrects it.
        Submitted = "SUBMITTED",
    }
}

vocabulary! {
    /// Where a rectification (整改) after a revocation stands.
    RectificationStatus {
        /// Opened by the revocation: the holder owes a plan before the deadline.
        Open = "OPEN",
        /// The holder's plan is on record; re-evaluation follows.
        Planned = "PLANNED",
        /// Re-evaluated: the title restored or not.
        Closed = "CLOSED",
    }
}

vocabulary! {
    /// What a re-evaluation after rectification found.
    RectificationOutcome {
        /// Up to the standard again: the title is restored (a new title naming the revoked one).
        Restored = "RESTORED",
        /// Still below the standard: the title stays revoked.
        NotRestored = "NOT_RESTORED",
    }
}

vocabulary! {
    /// Where a quarterly star-rating round stands.
    StarRoundStatus {
        /// Being rated.
        Open = "OPEN",
        /// Ranked and published, with the notice (通报) naming the bottom.
        Published = "PUBLISHED",
    }
}

//! Compounds in the register: the register's fields of a compound, the
//! `compounds` query and the mutations that create and change a compound.
//! The rest of a compound's fields are other areas' parts (see
//! `graphql::types::Compound`).

use std::sync::Arc;

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, Result};
use sea_orm::{
    ColumnTrait, EntityTrait, QueryFilter,
    sea_query::{Expr, ExprTrait, Func, LikeExpr},
};

use crate::domain::access::Scope;
use crate::domain::kinds::{ChainVariant, CompoundKind};
use crate::domain::register;
use crate::domain::values::{MAX_NAME_LEN, Name, parse_address};
use crate::entity::{community, compound, subdistrict};
use crate::error::AppError;
use crate::graphql::id::{NodeKind, arg_id, encode, input_id};
use crate::graphql::loaders::by_id;
use crate::graphql::pagination::{CompoundConnection, cost, paginate};
use crate::graphql::types::register::Community;
use crate::graphql::types::{Compound, name_opt, page, patch};
use crate::graphql::{db, loaders, mutate, payload};

/// The register's fields of a compound: what it is and where it lies.
pub struct CompoundRegister(pub Arc<compound::Model>);

/// The register's fields of a compound: what it is and where it lies.
#[Object]
impl CompoundRegister {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode(NodeKind::Compound, self.0.id)
    }
    /// Name.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Kind of compound.
    async fn kind(&self) -> CompoundKind {
        self.0.kind
    }
    /// Which variant of the chain of chiefs serves it.
    async fn chain_variant(&self) -> ChainVariant {
        self.0.kind.chain_variant()
    }
    /// Street address.
    async fn address(&self) -> Option<&str> {
        self.0.address.as_deref()
    }
    /// The community it lies in.
    async fn community(&self, ctx: &Context<'_>) -> Result<Option<Community>> {
        Ok(
            by_id::<community::Entity>(loaders(ctx)?, self.0.community_id)
                .await?
                .map(Community),
        )
    }
}

/// The access scope of a compound, through the request's loaders (the
/// batched counterpart of `Scope::of_compound`).
pub async fn compound_scope(ctx: &Context<'_>, c: &compound::Model) -> Result<Scope> {
    let l = loaders(ctx)?;
    let community = by_id::<community::Entity>(l, c.community_id).await?;
    let subdistrict = match &community {
        Some(c) => by_id::<subdistrict::Entity>(l, c.subdistrict_id).await?,
        None => None,
    };
    Ok(Scope {
        district_id: subdistrict.and_then(|s| s.district_id),
        subdistrict_id: community.map(|c| c.subdistrict_id),
        community_id: Some(c.community_id),
        compound_id: Some(c.id),
        ..Scope::GLOBAL
    })
}

/// Narrows the list of compounds.
#[derive(InputObject, Default)]
pub struct CompoundFilter {
    /// Only compounds of this community.
    pub community_id: Option<ID>,
    /// Only compounds of this kind.
    pub kind: Option<CompoundKind>,
    /// Only compounds whose name contains this text (at most 100 characters).
    pub name_contains: Option<String>,
}

/// Queries of compounds.
#[derive(Default)]
pub struct CompoundsQuery;

/// Queries of compounds.
#[Object]
impl CompoundsQuery {
    /// Compounds, optionally filtered by community, kind and name.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn compounds(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which compounds to list.")] filter: Option<CompoundFilter>,
        #[graphql(desc = "Returns the first n items (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Returns items after this cursor (at most 32 characters).")] after: Option<
            String,
        >,
        #[graphql(desc = "Returns the last n items (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns items before this cursor (at most 32 characters).")]
        before: Option<String>,
    ) -> Result<CompoundConnection> {
        let filter = filter.unwrap_or_default();
        let mut select = compound::Entity::find();
        if let Some(c) = &filter.community_id {
            select =
                select.filter(compound::Column::CommunityId.eq(arg_id(c, NodeKind::Community)?));
        }
        if let Some(kind) = filter.kind {
            select = select.filter(compound::Column::Kind.eq(kind));
        }
        if filter
            .name_contains
            .as_deref()
            .is_some_and(|t| t.chars().count() > MAX_NAME_LEN)
        {
            // No name is longer, so no longer text could match one.
            return Err(AppError::BadRequest(format!(
                "`nameContains` is at most {MAX_NAME_LEN} characters, the longest a name may be"
            ))
            .into());
        }
        if let Some(text) = filter
            .name_contains
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            // Case-insensitive on both databases (SQLite's LIKE already is, PostgreSQL's is not).
            let pattern = crate::domain::values::contains_pattern(&text.to_lowercase());
            select = select.filter(
                Expr::expr(Func::lower(Expr::col((
                    compound::Entity,
                    compound::Column::Name,
                ))))
                .like(LikeExpr::new(pattern).escape('\\')),
            );
        }
        paginate(
            db(ctx)?,
            select,
            page(first, after, last, before),
            Compound::new,
        )
        .await
    }
}

/// Input of `createCompound`.
#[derive(InputObject)]
pub struct CreateCompoundInput {
    /// The community it lies in.
    pub community_id: ID,
    /// Name, unique in the community (at most 100 characters).
    pub name: String,
    /// Kind of compound.
    pub kind: CompoundKind,
    /// Street address (at most 200 characters).
    pub address: Option<String>,
}

/// Input of `updateCompound`; omitted fields stay as they are.
#[derive(InputObject)]
pub struct UpdateCompoundInput {
    /// The compound.
    pub id: ID,
    /// New name (at most 100 characters).
    pub name: Option<String>,
    /// New kind.
    pub kind: Option<CompoundKind>,
    /// New address (at most 200 characters); null clears it.
    pub address: MaybeUndefined<String>,
}

payload!(
    /// Result of creating or changing a compound.
    CompoundPayload {
        /// The compound as saved.
        compound: Compound
    }
);

/// Mutations of compounds.
#[derive(Default)]
pub struct CompoundsMutation;

/// Mutations of compounds.
#[Object]
impl CompoundsMutation {
    /// Registers a compound in a community.
    async fn create_compound(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: CreateCompoundInput,
    ) -> Result<CompoundPayload> {
        let outcome = mutate(ctx, async |uow| {
            let new = register::NewCompound {
                community_id: input_id(&input.community_id, NodeKind::Community, "community_id")?,
                name: Name::parse(&input.name, "name")?,
                kind: input.kind,
                address: input
                    .address
                    .as_deref()
                    .map(|a| parse_address(a, "address"))
                    .transpose()?
                    .flatten(),
            };
            register::create_compound(uow, new).await
        })
        .await?;
        Ok(outcome.map(Compound::new).into())
    }

    /// Changes a compound's name, kind or address.
    async fn update_compound(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: UpdateCompoundInput,
    ) -> Result<CompoundPayload> {
        let outcome = mutate(ctx, async |uow| {
            let id = input_id(&input.id, NodeKind::Compound, "id")?;
            let changes = register::CompoundChanges {
                name: name_opt(input.name.as_deref(), "name")?,
                kind: input.kind,
                address: patch(input.address)
                    .map(|a| {
                        a.as_deref()
                            .map(|a| parse_address(a, "address"))
                            .transpose()
                    })
                    .transpose()?
                    .map(Option::flatten),
            };
            register::update_compound(uow, id, changes).await
        })
        .await?;
        Ok(outcome.map(Compound::new).into())
    }
}

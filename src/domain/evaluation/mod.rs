//! Demonstration-compound evaluation (示范小区评选): the rubrics compounds
//! are scored against, the campaigns that score them, and the titles they
//! win.
//!
//! Rules (DOMAIN.md, "Demonstration-compound evaluation"):
//! - Rubrics are data, not code. A rubric has aspects, each with
//!   indicators, each with a maximum score (whole points) and guidance for
//!   the evaluator. A rubric is named by a stable code and has a kind: the
//!   title its campaigns award.
//! - Rubrics are versioned. A version is saved as a draft, whose content
//!   may be replaced while it is one; publishing it fixes it for good, and
//!   only a published version can be pinned by a campaign. Changing a
//!   published rubric means a new version.
//! - Rubrics are the city's: only a platform-wide grant of
//!   `ManageEvaluations` keeps them. Published versions are public (they
//!   are the criteria compounds are held to); drafts are shown only to
//!   those who keep rubrics.
//! - A rubric loads from a document (TOML or JSON, `docs/RUBRICS.md`) or
//!   from the same structure given to a mutation. The product ships three
//!   (`shipped/`), installed with no account behind them when missing.
//! - A campaign (`campaigns`) awards one kind of title at one level
//!   (county, city, province) for one year, against one published rubric
//!   version of its kind. It selects a quota (e.g. 100) and singles out a
//!   number of those (the top N). A county-level campaign is run by its
//!   district, city and province ones by the city (a platform-wide grant).
//!   Its phases move forward in order: application → building →
//!   evaluation → selection → published.
//! - Entries (`entries`) come in by the route the campaign's kind decides:
//!   demonstration compounds are recommended by their subdistrict or
//!   district; epidemic-free compounds and communities apply; a
//!   province-level entry is recommended by the city from its city-level
//!   titles; the top ten draw from the city- and county-level titles. A
//!   campaign's eligibility rule is checked on top: a city- or
//!   province-level candidate must lie in a demonstration community of the
//!   same level (communities hold titles too).
//! - Evaluators (`scoring`) are assigned to entries by the campaign's
//!   staff; one tied to the compound (`ties`) is refused. Only assigned
//!   evaluators score, each indicator within its maximum, with a comment
//!   and evidence; drafts are saved, submission locks, and a correction is
//!   a new sheet that records why. No staff role scores.
//! - When evaluation ends the ranking (`ranking`) is frozen: each entry's
//!   score under the campaign's aggregation rule, the tie-break, the quota
//!   and the top N are written once. Publishing awards the titles; the
//!   titles held and revoked are public.
//! - Titles are managed dynamically (`titles`): a district-assessed
//!   epidemic-free title is held once the city files it; a title is
//!   revoked with a reason, which opens a rectification with a deadline,
//!   a plan and a re-evaluation.
//! - A compound inspects itself (`inspections`), and a subdistrict rates
//!   its commodity-housing compounds with their companies every quarter
//!   (`star_ratings`), naming the bottom in a public notice.

pub mod campaigns;
pub mod entries;
pub mod inspections;
pub mod ranking;
pub mod rubrics;
pub mod scoring;
pub mod star_ratings;
pub mod ties;
pub mod titles;

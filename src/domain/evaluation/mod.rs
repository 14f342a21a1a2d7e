//! Demonstration-compound evaluation (示范小区评选): the rubrics compounds
//! are scored against.
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

pub mod rubrics;

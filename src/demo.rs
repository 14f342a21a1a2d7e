//! The demo subdistrict loaded by `--demo`.

use sea_orm::DatabaseConnection;

use crate::startup::StartupError;

/// Loads the demo data once; `None` when the database already has data.
pub async fn load(_db: &DatabaseConnection) -> Result<Option<String>, StartupError> {
    Ok(None)
}

//! The table builder shared by the migrations: columns, foreign keys,
//! indexes and checks named by one convention (see the core migration's
//! top comment). A landed migration's output must never change, so this
//! builder only ever gains methods; existing ones keep their behaviour.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{big_pk_auto, boolean, string_len};

/// An enumeration column: the SCREAMING_CASE value of a `domain::kinds` enum.
pub fn kind(name: &'static str) -> ColumnDef {
    string_len(name, 32)
}

/// A boolean column that defaults to false.
pub fn flag(name: &'static str) -> ColumnDef {
    boolean(name).default(false).take()
}

/// One table under construction: its columns, foreign keys, indexes and checks.
pub struct TableDef {
    /// The table's name.
    pub name: &'static str,
    create: TableCreateStatement,
    foreign_keys: Vec<&'static str>,
    indexes: Vec<(bool, Vec<&'static str>)>,
}

impl TableDef {
    /// A table with its `id` primary key.
    pub fn new(name: &'static str) -> Self {
        let mut create = Table::create();
        create.table(name).col(big_pk_auto("id"));
        Self {
            name,
            create,
            foreign_keys: Vec::new(),
            indexes: Vec::new(),
        }
    }

    /// Adds a column.
    pub fn col(mut self, column: ColumnDef) -> Self {
        self.create.col(column);
        self
    }

    /// Adds `column` (already added with [`TableDef::col`]) as a foreign key
    /// to `parent.id`, ON DELETE RESTRICT.
    pub fn fk(mut self, column: &'static str, parent: &'static str) -> Self {
        self.create.foreign_key(
            ForeignKey::create()
                .name(format!("fk_{}_{column}", self.name))
                .from(self.name, column)
                .to(parent, "id")
                .on_delete(ForeignKeyAction::Restrict),
        );
        self.foreign_keys.push(column);
        self
    }

    /// Adds a unique constraint over `columns`.
    pub fn unique(mut self, columns: &[&'static str]) -> Self {
        self.indexes.push((true, columns.to_vec()));
        self
    }

    /// Adds a plain index over `columns`.
    pub fn index(mut self, columns: &[&'static str]) -> Self {
        self.indexes.push((false, columns.to_vec()));
        self
    }

    /// Adds a named CHECK constraint.
    pub fn check(mut self, rule: &str, condition: Expr) -> Self {
        self.create
            .check((format!("ck_{}_{rule}", self.name), condition));
        self
    }

    /// The CREATE TABLE statement and the CREATE INDEX statements that follow
    /// it, including an index for each foreign-key column not already leading
    /// one.
    pub fn build(&self) -> (TableCreateStatement, Vec<IndexCreateStatement>) {
        let mut indexes = self.indexes.clone();
        for column in &self.foreign_keys {
            if !indexes.iter().any(|(_, columns)| columns[0] == *column) {
                indexes.push((false, vec![column]));
            }
        }
        let statements = indexes
            .into_iter()
            .map(|(unique, columns)| {
                let prefix = if unique { "uq" } else { "idx" };
                let mut index = Index::create();
                index
                    .name(format!("{prefix}_{}_{}", self.name, columns.join("_")))
                    .table(self.name);
                for column in columns {
                    index.col(column);
                }
                if unique {
                    index.unique();
                }
                index.take()
            })
            .collect();
        (self.create.clone(), statements)
    }
}

/// Creates `tables` in order, each with its indexes.
pub async fn create_tables(
    manager: &SchemaManager<'_>,
    tables: Vec<TableDef>,
) -> Result<(), DbErr> {
    for table in tables {
        let (create, indexes) = table.build();
        manager.create_table(create).await?;
        for index in indexes {
            manager.create_index(index).await?;
        }
    }
    Ok(())
}

/// Drops `tables` in reverse order, children before parents; a table's
/// indexes go with it.
pub async fn drop_tables(manager: &SchemaManager<'_>, tables: Vec<TableDef>) -> Result<(), DbErr> {
    for table in tables.iter().rev() {
        manager
            .drop_table(Table::drop().table(table.name).to_owned())
            .await?;
    }
    Ok(())
}

//! One small SQL seam over SQLite and PostgreSQL for the rights API and the
//! reference app: statements are written once, with `$1`, `$2`… parameters,
//! and values are integers, text or null (booleans and times are integers),
//! so the same SQL runs on both. Atomic changes are a list of statements run
//! in one transaction ([`Db::atomically`]); state changes that race (two
//! servers, a retry) are guarded by their `WHERE` clause and read back by the
//! number of rows they changed.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rusqlite::types::{ToSqlOutput, ValueRef};
use tokio_postgres::types::{to_sql_checked, IsNull, ToSql, Type};

/// A value bound to a parameter or read from a column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Val {
    /// SQL NULL.
    Null,
    /// A 64-bit integer (times in Unix milliseconds, counts, booleans as 0/1).
    Int(i64),
    /// Text.
    Text(String),
}

impl Val {
    /// The integer, if it is one.
    pub fn int(&self) -> Option<i64> {
        match self {
            Val::Int(i) => Some(*i),
            _ => None,
        }
    }

    /// The text, if it is text.
    pub fn text(&self) -> Option<&str> {
        match self {
            Val::Text(t) => Some(t),
            _ => None,
        }
    }

    /// The text, owned (empty for anything else).
    pub fn string(&self) -> String {
        self.text().unwrap_or_default().to_owned()
    }
}

impl From<&str> for Val {
    fn from(v: &str) -> Val {
        Val::Text(v.to_owned())
    }
}
impl From<String> for Val {
    fn from(v: String) -> Val {
        Val::Text(v)
    }
}
impl From<&String> for Val {
    fn from(v: &String) -> Val {
        Val::Text(v.clone())
    }
}
impl From<i64> for Val {
    fn from(v: i64) -> Val {
        Val::Int(v)
    }
}
impl From<u64> for Val {
    fn from(v: u64) -> Val {
        Val::Int(i64::try_from(v).unwrap_or(i64::MAX))
    }
}
impl From<bool> for Val {
    fn from(v: bool) -> Val {
        Val::Int(i64::from(v))
    }
}
impl<T: Into<Val>> From<Option<T>> for Val {
    fn from(v: Option<T>) -> Val {
        v.map_or(Val::Null, Into::into)
    }
}

/// Parameters: `params![a, b]`-like, from anything that converts to [`Val`].
#[macro_export]
macro_rules! vals {
    ($($v:expr),* $(,)?) => { vec![$($crate::rights::db::Val::from($v)),*] };
}

/// A row: its columns in `SELECT` order.
pub type Row = Vec<Val>;

/// A statement and its parameters.
pub type Statement = (&'static str, Vec<Val>);

/// The open database.
#[derive(Clone)]
pub struct Db {
    inner: Arc<Inner>,
}

enum Inner {
    Sqlite(PathBuf, Mutex<rusqlite::Connection>),
    Postgres(String, tokio::sync::RwLock<tokio_postgres::Client>),
}

/// A failed statement (the text says which and why).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DbError(pub String);

impl std::fmt::Display for DbError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "database: {}", self.0)
    }
}

impl Db {
    /// A SQLite file (WAL mode; waits up to 5 s for the ledger's writer).
    pub fn sqlite(path: &Path) -> Result<Db, DbError> {
        let connection = rusqlite::Connection::open(path)
            .map_err(|e| DbError(format!("{}: {e}", path.display())))?;
        connection
            .execute_batch(
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=5000; PRAGMA foreign_keys=ON;",
            )
            .map_err(|e| DbError(format!("{}: {e}", path.display())))?;
        Ok(Db {
            inner: Arc::new(Inner::Sqlite(path.to_owned(), Mutex::new(connection))),
        })
    }

    /// A PostgreSQL database by URL.
    pub async fn postgres(url: &str) -> Result<Db, DbError> {
        let client = crate::store::connect_postgres(url).await.map_err(DbError)?;
        Ok(Db {
            inner: Arc::new(Inner::Postgres(
                url.to_owned(),
                tokio::sync::RwLock::new(client),
            )),
        })
    }

    /// `sqlite` or `postgres`.
    pub fn name(&self) -> &'static str {
        match &*self.inner {
            Inner::Sqlite(..) => "sqlite",
            Inner::Postgres(..) => "postgres",
        }
    }

    /// Runs a script of statements without parameters (the schema).
    pub async fn script(&self, sql: &'static str) -> Result<(), DbError> {
        match &*self.inner {
            Inner::Sqlite(..) => {
                let inner = Arc::clone(&self.inner);
                blocking(move || {
                    let Inner::Sqlite(_, connection) = &*inner else {
                        unreachable!()
                    };
                    let connection = lock(connection)?;
                    connection
                        .execute_batch(sql)
                        .map_err(|e| DbError(e.to_string()))
                })
                .await
            }
            Inner::Postgres(..) => {
                let client = self.client().await?;
                let client = client.read().await;
                client
                    .batch_execute(sql)
                    .await
                    .map_err(|e| DbError(e.to_string()))
            }
        }
    }

    /// Rows of a query.
    pub async fn query(&self, sql: &'static str, params: Vec<Val>) -> Result<Vec<Row>, DbError> {
        match &*self.inner {
            Inner::Sqlite(..) => {
                let inner = Arc::clone(&self.inner);
                blocking(move || {
                    let Inner::Sqlite(_, connection) = &*inner else {
                        unreachable!()
                    };
                    sqlite_query(&*lock(connection)?, sql, &params)
                })
                .await
            }
            Inner::Postgres(..) => {
                let client = self.client().await?;
                let client = client.read().await;
                let refs: Vec<&(dyn ToSql + Sync)> =
                    params.iter().map(|p| p as &(dyn ToSql + Sync)).collect();
                let rows = client
                    .query(sql, &refs)
                    .await
                    .map_err(|e| DbError(format!("{e} in: {}", first_line(sql))))?;
                rows.iter().map(pg_row).collect()
            }
        }
    }

    /// The first row of a query, if any.
    pub async fn one(&self, sql: &'static str, params: Vec<Val>) -> Result<Option<Row>, DbError> {
        Ok(self.query(sql, params).await?.into_iter().next())
    }

    /// Runs one statement; the rows it changed.
    pub async fn execute(&self, sql: &'static str, params: Vec<Val>) -> Result<u64, DbError> {
        Ok(self.atomically(vec![(sql, params)]).await?[0])
    }

    /// Runs statements in one transaction: all or none. The rows each changed.
    pub async fn atomically(&self, statements: Vec<Statement>) -> Result<Vec<u64>, DbError> {
        match &*self.inner {
            Inner::Sqlite(..) => {
                let inner = Arc::clone(&self.inner);
                blocking(move || {
                    let Inner::Sqlite(_, connection) = &*inner else {
                        unreachable!()
                    };
                    let mut connection = lock(connection)?;
                    let tx = connection
                        .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
                        .map_err(|e| DbError(e.to_string()))?;
                    let mut changed = Vec::with_capacity(statements.len());
                    for (sql, params) in &statements {
                        let sql = sqlite_sql(sql);
                        let mut statement = tx
                            .prepare_cached(&sql)
                            .map_err(|e| DbError(format!("{e} in: {}", first_line(&sql))))?;
                        let n = statement
                            .execute(rusqlite::params_from_iter(params.iter()))
                            .map_err(|e| DbError(format!("{e} in: {}", first_line(&sql))))?;
                        changed.push(n as u64);
                    }
                    tx.commit().map_err(|e| DbError(e.to_string()))?;
                    Ok(changed)
                })
                .await
            }
            Inner::Postgres(..) => {
                let client = self.client().await?;
                let mut client = client.write().await;
                let tx = client
                    .transaction()
                    .await
                    .map_err(|e| DbError(e.to_string()))?;
                let mut changed = Vec::with_capacity(statements.len());
                for (sql, params) in &statements {
                    let refs: Vec<&(dyn ToSql + Sync)> =
                        params.iter().map(|p| p as &(dyn ToSql + Sync)).collect();
                    let n = tx
                        .execute(*sql, &refs)
                        .await
                        .map_err(|e| DbError(format!("{e} in: {}", first_line(sql))))?;
                    changed.push(n);
                }
                tx.commit().await.map_err(|e| DbError(e.to_string()))?;
                Ok(changed)
            }
        }
    }

    /// The PostgreSQL client, connected again if the connection was lost.
    async fn client(&self) -> Result<&tokio::sync::RwLock<tokio_postgres::Client>, DbError> {
        let Inner::Postgres(url, client) = &*self.inner else {
            unreachable!("client() is only called on PostgreSQL")
        };
        if client.read().await.is_closed() {
            let mut guard = client.write().await;
            if guard.is_closed() {
                *guard = crate::store::connect_postgres(url).await.map_err(DbError)?;
            }
        }
        Ok(client)
    }

    /// The SQLite file, if that is the backend.
    pub fn sqlite_path(&self) -> Option<&Path> {
        match &*self.inner {
            Inner::Sqlite(path, _) => Some(path),
            Inner::Postgres(..) => None,
        }
    }
}

async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, DbError> + Send + 'static,
) -> Result<T, DbError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| DbError(format!("the database task failed: {e}")))?
}

fn lock(
    connection: &Mutex<rusqlite::Connection>,
) -> Result<std::sync::MutexGuard<'_, rusqlite::Connection>, DbError> {
    connection
        .lock()
        .map_err(|_| DbError("the connection was poisoned".into()))
}

fn first_line(sql: &str) -> &str {
    sql.trim().lines().next().unwrap_or("")
}

/// `$1` → `?1`: SQLite's numbered parameters bind by their number.
fn sqlite_sql(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '$' && chars.peek().is_some_and(char::is_ascii_digit) {
            out.push('?');
        } else {
            out.push(c);
        }
    }
    out
}

fn sqlite_query(
    connection: &rusqlite::Connection,
    sql: &str,
    params: &[Val],
) -> Result<Vec<Row>, DbError> {
    let sql = sqlite_sql(sql);
    let fail = |e: rusqlite::Error| DbError(format!("{e} in: {}", first_line(&sql)));
    let mut statement = connection.prepare_cached(&sql).map_err(fail)?;
    let columns = statement.column_count();
    let mut rows = statement
        .query(rusqlite::params_from_iter(params.iter()))
        .map_err(fail)?;
    let mut out = Vec::new();
    while let Some(row) = rows.next().map_err(fail)? {
        let mut values = Vec::with_capacity(columns);
        for i in 0..columns {
            values.push(match row.get_ref(i).map_err(fail)? {
                ValueRef::Null => Val::Null,
                ValueRef::Integer(n) => Val::Int(n),
                ValueRef::Real(r) => Val::Int(r as i64),
                ValueRef::Text(t) | ValueRef::Blob(t) => {
                    Val::Text(String::from_utf8_lossy(t).into_owned())
                }
            });
        }
        out.push(values);
    }
    Ok(out)
}

fn pg_row(row: &tokio_postgres::Row) -> Result<Row, DbError> {
    let fail = |e: tokio_postgres::Error| DbError(e.to_string());
    (0..row.len())
        .map(|i| {
            let ty = row.columns()[i].type_();
            Ok(if *ty == Type::INT8 {
                row.try_get::<_, Option<i64>>(i).map_err(fail)?.into()
            } else if *ty == Type::INT4 {
                row.try_get::<_, Option<i32>>(i)
                    .map_err(fail)?
                    .map(i64::from)
                    .into()
            } else if *ty == Type::BOOL {
                row.try_get::<_, Option<bool>>(i).map_err(fail)?.into()
            } else {
                row.try_get::<_, Option<String>>(i).map_err(fail)?.into()
            })
        })
        .collect()
}

impl rusqlite::ToSql for Val {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self {
            Val::Null => ToSqlOutput::Borrowed(ValueRef::Null),
            Val::Int(n) => ToSqlOutput::Borrowed(ValueRef::Integer(*n)),
            Val::Text(t) => ToSqlOutput::Borrowed(ValueRef::Text(t.as_bytes())),
        })
    }
}

impl ToSql for Val {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut bytes::BytesMut,
    ) -> Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        match self {
            Val::Null => Ok(IsNull::Yes),
            Val::Int(n) if *ty == Type::INT4 => i32::try_from(*n)?.to_sql(ty, out),
            Val::Int(n) => n.to_sql(ty, out),
            Val::Text(t) => t.as_str().to_sql(ty, out),
        }
    }

    fn accepts(ty: &Type) -> bool {
        [Type::INT8, Type::INT4, Type::TEXT, Type::VARCHAR].contains(ty)
    }

    to_sql_checked!();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbered_parameters_become_sqlite_ones() {
        assert_eq!(
            sqlite_sql("SELECT $1, '$x', $12 WHERE a = $2"),
            "SELECT ?1, '$x', ?12 WHERE a = ?2"
        );
    }

    #[tokio::test]
    async fn statements_run_atomically_on_sqlite() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::sqlite(&dir.path().join("t.sqlite3")).unwrap();
        db.script("CREATE TABLE t (id TEXT PRIMARY KEY, n BIGINT)")
            .await
            .unwrap();
        db.execute("INSERT INTO t (id, n) VALUES ($1, $2)", vals!["a", 1i64])
            .await
            .unwrap();
        let failed = db
            .atomically(vec![
                ("INSERT INTO t (id, n) VALUES ($1, $2)", vals!["b", 2i64]),
                ("INSERT INTO t (id, n) VALUES ($1, $2)", vals!["a", 3i64]),
            ])
            .await;
        assert!(failed.is_err(), "the duplicate key fails the transaction");
        let rows = db
            .query("SELECT id, n FROM t ORDER BY id", vec![])
            .await
            .unwrap();
        assert_eq!(
            rows,
            vec![vec![Val::from("a"), Val::Int(1)]],
            "b rolled back"
        );
        let changed = db
            .execute(
                "UPDATE t SET n = $2 WHERE id = $1 AND n = $3",
                vals!["a", 5i64, 1i64],
            )
            .await
            .unwrap();
        assert_eq!(changed, 1);
        let again = db
            .execute(
                "UPDATE t SET n = $2 WHERE id = $1 AND n = $3",
                vals!["a", 5i64, 1i64],
            )
            .await
            .unwrap();
        assert_eq!(again, 0, "a guarded change happens once");
    }
}

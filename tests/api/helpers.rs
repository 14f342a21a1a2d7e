//! Shared test helpers: every test gets its own fresh, migrated database
//! (an SQLite file, or a new PostgreSQL database when `TEST_DATABASE_URL`
//! is set) and the real HTTP application on a free local port.

use std::sync::atomic::{AtomicU32, Ordering};

use compound_api::config::Config;
use compound_api::domain::clock::Clock;
use compound_api::startup;
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use serde_json::{Value, json};

/// Password of every account the helpers create.
pub const PASSWORD: &str = "correct horse battery";

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// A running application over its own database.
pub struct TestApp {
    /// Base URL, e.g. `http://127.0.0.1:12345`.
    pub address: String,
    /// The database (for assertions that look under the API).
    pub db: DatabaseConnection,
    /// An HTTP client.
    pub client: reqwest::Client,
    /// Token of the bootstrap platform admin.
    pub admin_token: String,
    /// The configuration the app was started with.
    pub config: Config,
    /// The app's clock: tests move time with `clock.advance(…)`.
    pub clock: Clock,
    pg_cleanup: Option<(String, String)>,
}

fn unique_name() -> String {
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!("capi_test_{}_{}_{}", std::process::id(), n, nanos)
}

/// The migrated template every PostgreSQL test database is copied from:
/// copying a template is much faster than migrating each database anew.
static PG_TEMPLATE: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();

fn database_on(server: &str, name: &str) -> String {
    let base = server.rsplit_once('/').map(|(b, _)| b).unwrap_or(server);
    format!("{base}/{name}")
}

async fn pg_template(server: &str) -> String {
    PG_TEMPLATE
        .get_or_init(|| async {
            let admin = Database::connect(server)
                .await
                .expect("connect to TEST_DATABASE_URL");
            // Templates of earlier runs that were interrupted.
            let stale: Vec<String> = admin
                .query_all_raw(sea_orm::Statement::from_string(
                    sea_orm::DbBackend::Postgres,
                    "SELECT datname FROM pg_database WHERE datname LIKE 'capi_tpl_%'",
                ))
                .await
                .expect("list templates")
                .iter()
                .filter_map(|r| r.try_get::<String>("", "datname").ok())
                .collect();
            for old in stale {
                let _ = admin
                    .execute_unprepared(&format!("DROP DATABASE IF EXISTS {old} WITH (FORCE)"))
                    .await;
            }
            let name = format!("capi_tpl_{}", std::process::id());
            admin
                .execute_unprepared(&format!("CREATE DATABASE {name}"))
                .await
                .expect("create template database");
            let url = database_on(server, &name);
            let config = Config::from_lookup(|k| (k == "DATABASE_URL").then(|| url.clone()))
                .expect("config");
            let db = startup::connect_and_migrate(&config)
                .await
                .expect("migrate template");
            db.close().await.ok();
            admin.close().await.ok();
            name
        })
        .await
        .clone()
}

async fn database_url() -> (String, Option<(String, String)>) {
    match std::env::var("TEST_DATABASE_URL") {
        Ok(server) if !server.is_empty() => {
            let template = pg_template(&server).await;
            let name = unique_name();
            let admin = Database::connect(&server)
                .await
                .expect("connect to TEST_DATABASE_URL");
            let mut attempt = 0;
            loop {
                match admin
                    .execute_unprepared(&format!("CREATE DATABASE {name} TEMPLATE {template}"))
                    .await
                {
                    Ok(_) => break,
                    // Two copies of one template at the same instant can collide; try again.
                    Err(e) if attempt < 20 => {
                        attempt += 1;
                        tracing::debug!("create test database: {e}; retrying");
                        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                    }
                    Err(e) => panic!("create test database: {e}"),
                }
            }
            admin.close().await.ok();
            (database_on(&server, &name), Some((server.clone(), name)))
        }
        _ => {
            let path = std::env::temp_dir().join(format!("{}.db", unique_name()));
            (format!("sqlite://{}?mode=rwc", path.display()), None)
        }
    }
}

/// Starts the application with default limits.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// Starts the application after `adjust` has changed its configuration.
pub async fn spawn_app_with(adjust: impl FnOnce(&mut Config)) -> TestApp {
    compound_api::telemetry::init();
    let (url, pg_cleanup) = database_url().await;
    let mut config = Config::from_lookup(|k| match k {
        "DATABASE_URL" => Some(url.clone()),
        "BIND_ADDR" => Some("127.0.0.1:0".into()),
        "ADMIN_USERNAME" => Some("admin".into()),
        "ADMIN_PASSWORD" => Some(PASSWORD.into()),
        "DATABASE_MAX_CONNECTIONS" => Some("5".into()),
        // Tests send bursts from one address; the limits' own tests turn
        // them on (tests/api/rate_limits.rs).
        "RATE_LIMIT_PER_MINUTE" => Some("0".into()),
        // Each test keeps its uploads apart, under the system's temp folder.
        "ATTACHMENT_STORE" => Some(
            std::env::temp_dir()
                .join(format!("{}-files", unique_name()))
                .display()
                .to_string(),
        ),
        _ => None,
    })
    .expect("test configuration");
    adjust(&mut config);
    let db = startup::connect_and_migrate(&config)
        .await
        .expect("migrate");
    startup::bootstrap_admin(&db, &config)
        .await
        .expect("bootstrap admin");
    let clock = Clock::adjustable();
    let app = startup::app_with_clock(db.clone(), &config, clock.clone())
        .await
        .expect("app");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = format!("http://{}", listener.local_addr().expect("addr"));
    let served = config.clone();
    tokio::spawn(async move {
        startup::serve(listener, app, &served, std::future::pending())
            .await
            .ok();
    });
    let mut app = TestApp {
        address,
        db,
        client: reqwest::Client::new(),
        admin_token: String::new(),
        config: config.clone(),
        clock,
        pg_cleanup,
    };
    app.admin_token = app.login("admin", PASSWORD).await;
    app
}

impl Drop for TestApp {
    fn drop(&mut self) {
        // Drop the PostgreSQL test database, from a thread of its own since
        // the test's runtime is shutting down.
        if let Some((server, name)) = self.pg_cleanup.take() {
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build();
                if let Ok(rt) = rt {
                    rt.block_on(async {
                        if let Ok(admin) = Database::connect(&server).await {
                            let _ = admin
                                .execute_unprepared(&format!(
                                    "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                                ))
                                .await;
                        }
                    });
                }
            })
            .join();
        }
    }
}

impl TestApp {
    /// Starts a second, independent API instance over the same database (as
    /// several stateless instances serve one PostgreSQL) and returns its
    /// base URL.
    pub async fn second_instance(&self) -> String {
        let app = startup::app_with_clock(self.db.clone(), &self.config, self.clock.clone())
            .await
            .expect("second app");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let address = format!("http://{}", listener.local_addr().expect("addr"));
        let served = self.config.clone();
        tokio::spawn(async move {
            startup::serve(listener, app, &served, std::future::pending())
                .await
                .ok();
        });
        address
    }

    /// The GraphQL endpoint.
    pub fn graphql_url(&self) -> String {
        format!("{}/graphql", self.address)
    }

    /// Runs a GraphQL operation over HTTP POST and returns the whole response body.
    pub async fn gql(&self, token: Option<&str>, query: &str, variables: Value) -> Value {
        let mut req = self
            .client
            .post(self.graphql_url())
            .json(&json!({ "query": query, "variables": variables }));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let resp = req.send().await.expect("request");
        resp.json().await.expect("json body")
    }

    /// Runs a GraphQL operation as a multipart request (the GraphQL
    /// multipart request specification) carrying one file, `bytes` named
    /// `file_name`, for the variable at `path` (e.g. `variables.input.file`,
    /// which `variables` leaves null); returns the whole response body.
    pub async fn gql_upload(
        &self,
        token: Option<&str>,
        query: &str,
        variables: Value,
        path: &str,
        file_name: &str,
        bytes: Vec<u8>,
    ) -> Value {
        let operations = json!({ "query": query, "variables": variables });
        let form = reqwest::multipart::Form::new()
            .text("operations", operations.to_string())
            .text("map", json!({ "0": [path] }).to_string())
            .part(
                "0",
                reqwest::multipart::Part::bytes(bytes).file_name(file_name.to_owned()),
            );
        let mut req = self.client.post(self.graphql_url()).multipart(form);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let resp = req.send().await.expect("request");
        resp.json().await.expect("json body")
    }

    /// Runs an operation that must succeed without errors; returns `data`.
    pub async fn ok(&self, token: Option<&str>, query: &str, variables: Value) -> Value {
        let body = self.gql(token, query, variables).await;
        assert!(body.get("errors").is_none(), "unexpected errors: {body:#}");
        body["data"].clone()
    }

    /// Runs a mutation as `token` that must succeed without user errors;
    /// returns the payload of mutation `name`.
    pub async fn mutate(&self, token: &str, name: &str, query: &str, input: Value) -> Value {
        let data = self.ok(Some(token), query, json!({ "input": input })).await;
        let payload = data[name].clone();
        assert_eq!(
            payload["userErrors"],
            json!([]),
            "user errors in {name}: {payload:#}"
        );
        payload
    }

    /// Logs in and returns the token.
    pub async fn login(&self, username: &str, password: &str) -> String {
        let data = self
            .ok(
                None,
                "mutation($input: LoginInput!) { login(input: $input) { token userErrors { message } } }",
                json!({ "input": { "username": username, "password": password } }),
            )
            .await;
        data["login"]["token"].as_str().expect("a token").to_owned()
    }

    /// Gives compound `compound` its three bodies, as the admin: a party
    /// branch, an owners' committee within its term and a property company
    /// under a contract in force (a notice is published only as a body the
    /// compound has).
    pub async fn seat_bodies(&self, compound: &str) {
        self.mutate(
            &self.admin_token,
            "createPartyBranch",
            "mutation($input: CreatePartyBranchInput!) { createPartyBranch(input: $input) { partyBranch { id } userErrors { field message code } } }",
            json!({ "compoundId": compound, "name": "小区党支部", "kind": "STANDING", "establishedOn": "2020-07-01" }),
        )
        .await;
        self.mutate(
            &self.admin_token,
            "createOwnersCommittee",
            "mutation($input: CreateOwnersCommitteeInput!) { createOwnersCommittee(input: $input) { ownersCommittee { id } userErrors { field message code } } }",
            json!({ "compoundId": compound, "name": "第一届业主委员会", "electedOn": "2024-01-10",
                    "termStartsOn": "2024-02-01", "termEndsOn": "2029-01-31" }),
        )
        .await;
        let company = self
            .mutate(
                &self.admin_token,
                "createPropertyCompany",
                "mutation($input: CreatePropertyCompanyInput!) { createPropertyCompany(input: $input) { propertyCompany { id } userErrors { field message code } } }",
                json!({ "name": format!("物业服务有限公司{compound}") }),
            )
            .await["propertyCompany"]["id"]
            .as_str()
            .expect("company id")
            .to_owned();
        self.mutate(
            &self.admin_token,
            "signPropertyContract",
            "mutation($input: SignPropertyContractInput!) { signPropertyContract(input: $input) { contract { id } userErrors { field message code } } }",
            json!({ "compoundId": compound, "companyId": company, "startsOn": "2024-01-01", "endsOn": "2027-12-31" }),
        )
        .await;
    }

    /// Creates an account holding `role` over `scope_id` and returns its token.
    pub async fn user_with_role(
        &self,
        username: &str,
        role: &str,
        scope_id: Option<&str>,
    ) -> String {
        let created = self
            .mutate(
                &self.admin_token,
                "createAccount",
                "mutation($input: CreateAccountInput!) { createAccount(input: $input) { account { id } userErrors { field message code } } }",
                json!({ "username": username, "password": PASSWORD, "displayName": username }),
            )
            .await;
        let account_id = created["account"]["id"]
            .as_str()
            .expect("account id")
            .to_owned();
        self.mutate(
            &self.admin_token,
            "grantRole",
            "mutation($input: GrantRoleInput!) { grantRole(input: $input) { grant { id } userErrors { field message code } } }",
            json!({ "accountId": account_id, "role": role, "scopeId": scope_id }),
        )
        .await;
        self.login(username, PASSWORD).await
    }
}

/// A small register: one district, subdistrict, community, grid and
/// commodity-housing compound with one six-floor building and two dwellings.
pub struct Fixture {
    /// District ID.
    pub district: String,
    /// Subdistrict ID.
    pub subdistrict: String,
    /// Community ID.
    pub community: String,
    /// Grid ID.
    pub grid: String,
    /// Compound ID.
    pub compound: String,
    /// Building ID.
    pub building: String,
    /// Dwelling IDs (floors 2 and 5).
    pub dwellings: Vec<String>,
}

/// Creates a `Fixture` as the admin.
pub async fn fixture(app: &TestApp) -> Fixture {
    let t = app.admin_token.clone();
    let district = app
        .mutate(&t, "createDistrict", "mutation($input: CreateDistrictInput!) { createDistrict(input: $input) { district { id } userErrors { field message code } } }", json!({ "name": "武昌区" }))
        .await["district"]["id"].as_str().unwrap().to_owned();
    let sd = app
        .mutate(&t, "createSubdistrict", "mutation($input: CreateSubdistrictInput!) { createSubdistrict(input: $input) { subdistrict { id } userErrors { field message code } } }", json!({ "districtId": district, "name": "东湖街道" }))
        .await["subdistrict"]["id"].as_str().unwrap().to_owned();
    let community = app
        .mutate(&t, "createCommunity", "mutation($input: CreateCommunityInput!) { createCommunity(input: $input) { community { id } userErrors { field message code } } }", json!({ "subdistrictId": sd, "name": "翠苑社区" }))
        .await["community"]["id"].as_str().unwrap().to_owned();
    let grid = app
        .mutate(&t, "createGrid", "mutation($input: CreateGridInput!) { createGrid(input: $input) { grid { id } userErrors { field message code } } }", json!({ "communityId": community, "name": "第一网格" }))
        .await["grid"]["id"].as_str().unwrap().to_owned();
    let compound = app
        .mutate(&t, "createCompound", "mutation($input: CreateCompoundInput!) { createCompound(input: $input) { compound { id } userErrors { field message code } } }", json!({ "communityId": community, "name": "翠苑一区", "kind": "COMMODITY_HOUSING" }))
        .await["compound"]["id"].as_str().unwrap().to_owned();
    let building = app
        .mutate(&t, "createBuilding", "mutation($input: CreateBuildingInput!) { createBuilding(input: $input) { building { id } userErrors { field message code } } }", json!({ "compoundId": compound, "name": "1号楼", "gridId": grid, "floors": 6 }))
        .await["building"]["id"].as_str().unwrap().to_owned();
    let mut dwellings = Vec::new();
    for (floor, number, area) in [(2, "1-201", "89.50"), (5, "1-502", "120.00")] {
        let d = app
            .mutate(&t, "createDwelling", "mutation($input: CreateDwellingInput!) { createDwelling(input: $input) { dwelling { id } userErrors { field message code } } }", json!({ "buildingId": building, "floor": floor, "number": number, "exclusiveArea": area }))
            .await["dwelling"]["id"].as_str().unwrap().to_owned();
        dwellings.push(d);
    }
    Fixture {
        district,
        subdistrict: sd,
        community,
        grid,
        compound,
        building,
        dwellings,
    }
}

/// Registers a person in the fixture's community and returns their ID.
pub async fn person(app: &TestApp, f: &Fixture, name: &str, party_member: bool) -> String {
    app.mutate(
        &app.admin_token,
        "createPerson",
        "mutation($input: CreatePersonInput!) { createPerson(input: $input) { person { id } userErrors { field message code } } }",
        json!({ "communityId": f.community, "name": name, "phone": "13812345678", "idNumber": "11010519491231002X", "isPartyMember": party_member }),
    )
    .await["person"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Records that `person` owns `dwelling` from 2020.
pub async fn own(app: &TestApp, person: &str, dwelling: &str) {
    app.mutate(
        &app.admin_token,
        "addOwnership",
        "mutation($input: AddOwnershipInput!) { addOwnership(input: $input) { ownership { id } userErrors { field message code } } }",
        json!({ "personId": person, "dwellingId": dwelling, "startsOn": "2020-01-01" }),
    )
    .await;
}

/// The nodes of a connection's edges, in page order, as a JSON array.
pub fn nodes(connection: &Value) -> Value {
    Value::Array(
        connection["edges"]
            .as_array()
            .unwrap_or_else(|| panic!("not a connection: {connection:#}"))
            .iter()
            .map(|e| e["node"].clone())
            .collect(),
    )
}

/// Reads the connection `field` of node `id` as `token` sees it, one item
/// at a time: `first: 1`, then `first: 1` after that page's cursor, and
/// checks the page info of each. Returns the ids of the two items.
pub async fn page_by_one(
    app: &TestApp,
    token: Option<&str>,
    id: &str,
    on: &str,
    field: &str,
) -> (String, String) {
    let q = format!(
        "query($id: ID!, $after: String) {{ node(id: $id) {{ ... on {on} {{
            {field}(first: 1, after: $after) {{ edges {{ cursor node {{ id }} }}
                pageInfo {{ hasNextPage hasPreviousPage endCursor }} }} }} }} }}"
    );
    let first = app.ok(token, &q, json!({ "id": id })).await["node"][field].clone();
    assert_eq!(
        first["edges"].as_array().map(Vec::len),
        Some(1),
        "{first:#}"
    );
    assert_eq!(first["pageInfo"]["hasNextPage"], true, "{first:#}");
    assert_eq!(first["pageInfo"]["hasPreviousPage"], false, "{first:#}");
    let cursor = first["pageInfo"]["endCursor"].clone();
    assert_eq!(cursor, first["edges"][0]["cursor"]);
    let second = app
        .ok(token, &q, json!({ "id": id, "after": cursor }))
        .await["node"][field]
        .clone();
    assert_eq!(
        second["edges"].as_array().map(Vec::len),
        Some(1),
        "{second:#}"
    );
    assert_eq!(second["pageInfo"]["hasPreviousPage"], true, "{second:#}");
    let a = first["edges"][0]["node"]["id"].as_str().unwrap().to_owned();
    let b = second["edges"][0]["node"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_ne!(a, b);
    (a, b)
}

/// A whole 1×1 PNG image (one green pixel): a real file of an accepted type.
pub const PNG: [u8; 69] = [
    137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13, 73, 72, 68, 82, 0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0,
    0, 0, 144, 119, 83, 222, 0, 0, 0, 12, 73, 68, 65, 84, 120, 156, 99, 248, 207, 192, 0, 0, 3, 1,
    1, 0, 201, 254, 146, 239, 0, 0, 0, 0, 73, 69, 78, 68, 174, 66, 96, 130,
];
